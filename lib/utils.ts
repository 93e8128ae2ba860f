import { type ClassValue, clsx } from "clsx";
import { createTailwindMerge } from "tailwind-merge";

const any = () => true;
const FONT_SIZE = /^(xs|sm|base|lg|[2-9]?xl|\[.+\])$/;
const TEXT_OTHER = /^(left|center|right|justify|start|end|wrap|nowrap|balance|pretty|ellipsis|clip)$/;
const isFontSize = (v: string) => FONT_SIZE.test(v);
const isTextColor = (v: string) => !FONT_SIZE.test(v) && !TEXT_OTHER.test(v);
const isBorderWidth = (v: string) => /^(\d+|\[\d+px\])$/.test(v);
const isShadowSize = (v: string) => /^(2xs|xs|sm|md|lg|xl|2xl|none|inner)$/.test(v);
const isRingWidth = (v: string) => /^(\d+|\[\d+px\])$/.test(v);
const isFontWeight = (v: string) => /^(thin|extralight|light|normal|medium|semibold|bold|extrabold|black)$/.test(v);
const SIDE = /^(t|r|b|l|s|e|tl|tr|br|bl|ss|se|ee|es)(-|$)/;
const BORDER_STYLE = /^(solid|dashed|dotted|double|hidden|none)$/;
const BORDER_SIDE = /^(x|y|t|r|b|l|s|e)(-\d+)?$/;
const isFontFamily = (v: string) => /^(sans|serif|mono)$/.test(v);

/**
 * tailwind-merge's engine with only the utility groups this code base uses (about 2 kB instead of
 * the full default configuration's 8 kB, which every sign-in page would otherwise load: README
 * "/login weight"). lib/utils.test.ts checks it merges exactly like the full twMerge on every
 * className in components/ and app/ against every UI primitive's own classes.
 */
const merge = createTailwindMerge(() => ({
  cacheSize: 500,
  theme: {},
  classGroups: {
    display: [
      "block",
      "inline-block",
      "inline",
      "flex",
      "inline-flex",
      "grid",
      "inline-grid",
      "contents",
      "flow-root",
      "list-item",
      "hidden",
      "table",
      "inline-table",
      "table-caption",
      "table-cell",
      "table-column",
      "table-column-group",
      "table-footer-group",
      "table-header-group",
      "table-row-group",
      "table-row",
    ],
    "line-clamp": [{ "line-clamp": [any] }],
    sr: ["sr-only", "not-sr-only"],
    "translate-x": [{ "translate-x": [any] }],
    "translate-y": [{ "translate-y": [any] }],
    position: ["static", "fixed", "absolute", "relative", "sticky"],
    inset: [{ inset: [any] }],
    "inset-x": [{ "inset-x": [any] }],
    "inset-y": [{ "inset-y": [any] }],
    top: [{ top: [any] }],
    right: [{ right: [any] }],
    bottom: [{ bottom: [any] }],
    left: [{ left: [any] }],
    z: [{ z: [any] }],
    "flex-direction": [{ flex: ["row", "row-reverse", "col", "col-reverse"] }],
    "flex-wrap": [{ flex: ["wrap", "wrap-reverse", "nowrap"] }],
    flex: [{ flex: ["1", "auto", "initial", "none"] }],
    grow: [{ grow: ["", any] }],
    shrink: [{ shrink: ["", any] }],
    "grid-cols": [{ "grid-cols": [any] }],
    "col-span": [{ col: [{ span: [any] }] }],
    gap: [{ gap: [any] }],
    "gap-x": [{ "gap-x": [any] }],
    "gap-y": [{ "gap-y": [any] }],
    "justify-content": [{ justify: ["start", "end", "center", "between", "around", "evenly", "stretch", "normal"] }],
    "justify-items": [{ "justify-items": [any] }],
    "align-items": [{ items: ["start", "end", "center", "baseline", "stretch"] }],
    "align-self": [{ self: [any] }],
    p: [{ p: [any] }],
    px: [{ px: [any] }],
    py: [{ py: [any] }],
    pt: [{ pt: [any] }],
    pr: [{ pr: [any] }],
    pb: [{ pb: [any] }],
    pl: [{ pl: [any] }],
    m: [{ m: [any] }],
    mx: [{ mx: [any] }],
    my: [{ my: [any] }],
    mt: [{ mt: [any] }],
    mr: [{ mr: [any] }],
    mb: [{ mb: [any] }],
    ml: [{ ml: [any] }],
    "space-y": [{ "space-y": [any] }],
    size: [{ size: [any] }],
    w: [{ w: [any] }],
    "min-w": [{ "min-w": [any] }],
    "max-w": [{ "max-w": [any] }],
    h: [{ h: [any] }],
    "min-h": [{ "min-h": [any] }],
    "max-h": [{ "max-h": [any] }],
    "font-size": [{ text: [isFontSize] }],
    "font-weight": [{ font: [isFontWeight] }],
    "font-family": [{ font: [isFontFamily] }],
    leading: [{ leading: [any] }],
    tracking: [{ tracking: [any] }],
    "text-alignment": [{ text: ["left", "center", "right", "justify", "start", "end"] }],
    "text-color": [{ text: [isTextColor] }],
    "text-wrap": [{ text: ["wrap", "nowrap", "balance", "pretty"] }],
    whitespace: [{ whitespace: [any] }],
    "underline-offset": [{ "underline-offset": [any] }],
    "text-decoration": ["underline", "overline", "line-through", "no-underline"],
    "bg-color": [{ bg: [any] }],
    rounded: [{ rounded: ["", (v: string) => !SIDE.test(v)] }],
    ...Object.fromEntries(["t", "r", "b", "l", "s", "e", "tl", "tr", "br", "bl", "ss", "se", "ee", "es"].map((s) => [`rounded-${s}`, [{ [`rounded-${s}`]: ["", any] }]])),
    "border-w": [{ border: ["", isBorderWidth] }],
    ...Object.fromEntries(["x", "y", "t", "r", "b", "l", "s", "e"].map((s) => [`border-w-${s}`, [{ [`border-${s}`]: ["", isBorderWidth] }]])),
    "border-style": [{ border: ["solid", "dashed", "dotted", "double", "hidden", "none"] }],
    "border-color": [{ border: [(v: string) => !isBorderWidth(v) && !BORDER_SIDE.test(v) && !BORDER_STYLE.test(v)] }],
    shadow: [{ shadow: ["", isShadowSize] }],
    "ring-w": [{ ring: ["", isRingWidth] }],
    "ring-color": [{ ring: [(v: string) => !isRingWidth(v) && !v.startsWith("offset")] }],
    "ring-offset-w": [{ "ring-offset": [isRingWidth] }],
    "ring-offset-color": [{ "ring-offset": [(v: string) => !isRingWidth(v)] }],
    outline: [{ outline: ["", "none", "hidden"] }],
    opacity: [{ opacity: [any] }],
    overflow: [{ overflow: [any] }],
    "overflow-x": [{ "overflow-x": [any] }],
    "overflow-y": [{ "overflow-y": [any] }],
    cursor: [{ cursor: [any] }],
    "pointer-events": [{ "pointer-events": [any] }],
    select: [{ select: ["none", "text", "all", "auto"] }],
    transition: [{ transition: ["", any] }],
    animate: [{ animate: [any] }],
    origin: [{ origin: [any] }],
    "vertical-align": [{ align: ["baseline", "top", "middle", "bottom", "text-top", "text-bottom", "sub", "super"] }],
    "justify-self": [{ "justify-self": [any] }],
  },
  conflictingClassGroups: {
    inset: ["inset-x", "inset-y", "top", "right", "bottom", "left"],
    "inset-x": ["right", "left"],
    "line-clamp": ["display", "overflow"],
    flex: ["grow", "shrink"],
    rounded: ["rounded-t", "rounded-r", "rounded-b", "rounded-l", "rounded-s", "rounded-e", "rounded-tl", "rounded-tr", "rounded-br", "rounded-bl", "rounded-ss", "rounded-se", "rounded-ee", "rounded-es"],
    "rounded-t": ["rounded-tl", "rounded-tr"],
    "rounded-r": ["rounded-tr", "rounded-br"],
    "rounded-b": ["rounded-br", "rounded-bl"],
    "rounded-l": ["rounded-tl", "rounded-bl"],
    "border-w": ["border-w-x", "border-w-y", "border-w-t", "border-w-r", "border-w-b", "border-w-l", "border-w-s", "border-w-e"],
    "border-w-x": ["border-w-r", "border-w-l"],
    "border-w-y": ["border-w-t", "border-w-b"],
    "inset-y": ["top", "bottom"],
    gap: ["gap-x", "gap-y"],
    p: ["px", "py", "pt", "pr", "pb", "pl"],
    px: ["pr", "pl"],
    py: ["pt", "pb"],
    m: ["mx", "my", "mt", "mr", "mb", "ml"],
    mx: ["mr", "ml"],
    my: ["mt", "mb"],
    size: ["w", "h"],
    "font-size": ["leading"],
    overflow: ["overflow-x", "overflow-y"],
  },
  conflictingClassGroupModifiers: { "font-size": ["leading"] },
  orderSensitiveModifiers: [],
}));

/** Merge class names, letting later Tailwind utilities override earlier ones. */
export function cn(...inputs: ClassValue[]) {
  return merge(clsx(inputs));
}
