// The language link keeps what was typed (SPEC §2.6): on the way to the same
// page in the other language, the form's fields ride in this tab's
// sessionStorage and are put back once that page has loaded. Passwords and
// hidden fields (the CSRF token) stay behind; the copy is read once and erased.
const KEY = "portal-typed";
const link = document.getElementById("language-link");
const fields = () =>
  [...document.querySelectorAll("main input, main select, main textarea")].filter(
    (f) => f.id && !["password", "hidden", "file", "submit"].includes(f.type),
  );
const ticks = (f) => f.type === "checkbox" || f.type === "radio";

link?.addEventListener("click", () => {
  const typed = {};
  for (const f of fields()) {
    if (ticks(f) ? f.checked : f.value) typed[f.id] = ticks(f) ? true : f.value;
  }
  sessionStorage.setItem(KEY, JSON.stringify({ path: location.pathname, typed }));
});

const saved = sessionStorage.getItem(KEY);
if (saved) {
  sessionStorage.removeItem(KEY);
  try {
    const { path, typed } = JSON.parse(saved);
    if (path === location.pathname) {
      for (const f of fields()) {
        if (!(f.id in typed)) continue;
        if (ticks(f)) f.checked = true;
        else if (!f.value) f.value = typed[f.id];
      }
    }
  } catch {
    // A copy this script didn't write: nothing to put back.
  }
}
