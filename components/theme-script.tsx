/**
 * Puts the stored or system colour scheme on <html> before the page paints (the key and classes of
 * next-themes, which the console's theme toggle uses): the sign-in pages get dark mode with no
 * theme library in their JavaScript.
 */
const SCRIPT = `(function(){try{var d=document.documentElement,m=matchMedia("(prefers-color-scheme: dark)");function a(){var t=localStorage.getItem("theme")||"system",k=t==="dark"||(t!=="light"&&m.matches);d.classList.toggle("dark",k);d.classList.toggle("light",!k);d.style.colorScheme=k?"dark":"light"}a();m.addEventListener("change",a)}catch(e){}})()`;

export function ThemeScript({ nonce }: { nonce?: string }) {
  return <script nonce={nonce} dangerouslySetInnerHTML={{ __html: SCRIPT }} />;
}
