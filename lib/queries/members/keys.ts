export const memberKeys = {
  all: (slug: string) => ["orgs", slug, "members"] as const,
  list: (slug: string, search: string) => [...memberKeys.all(slug), "list", search] as const,
  invitations: (slug: string) => ["orgs", slug, "invitations"] as const,
};
