// The words over each page's picture stand where the picture shows them, so that the browser's
// search finds them and the mouse selects them: each line at its box (percent of the page), its
// letters as high as the box and stretched to its width. Set in two passes (all written, then all
// measured, then all stretched): one layout for the page, not one per line.
function layWords() {
  const lines = [];
  for (const page of document.querySelectorAll(".page")) {
    const width = page.clientWidth, height = page.clientHeight;
    if (!height) continue;
    for (const span of page.querySelectorAll(".words span")) {
      const [left, top, w, h] = span.dataset.box.split(" ").map(Number);
      span.style.left = left + "%";
      span.style.top = top + "%";
      span.style.fontSize = (h / 100) * height + "px";
      span.style.transform = "";
      lines.push([span, (w / 100) * width]);
    }
  }
  const natural = lines.map(([span]) => span.getBoundingClientRect().width);
  lines.forEach(([span, wanted], i) => {
    if (natural[i]) span.style.transform = `scaleX(${wanted / natural[i]})`;
  });
}
layWords();
document.fonts.ready.then(layWords); // measured again in the font the page ends up with
window.addEventListener("load", layWords);
let resizing = 0;
window.addEventListener("resize", () => {
  clearTimeout(resizing);
  resizing = setTimeout(layWords, 100);
});

// The open page follows the preview: each new state's <main> replaces the old one.
const source = new EventSource("/events");
source.onmessage = async (event) => {
  if (event.data === document.body.dataset.version) return;
  const response = await fetch(location.pathname.replace(/\/$/, "") + "/main", {cache: "no-store"});
  if (!response.ok) return;
  document.querySelector("main").outerHTML = await response.text();
  document.body.dataset.version = event.data;
  layWords();
};
