import { ConsoleSkeleton } from "@/components/console/console-skeleton";

export default function Loading() {
  return <ConsoleSkeleton shape="table" />;
}
