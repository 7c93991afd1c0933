// BioNer web page: sends the text to POST /v1/ner and highlights the returned entities. Text is only ever inserted
// with textContent/createTextNode, never as HTML, so a document cannot inject markup.
"use strict";
const palette = ["#7aecec", "#feca74", "#aa9cfc", "#bfe1d9", "#ff9561", "#c887fb", "#9cc9cc", "#f0d0ff", "#e4e7d2", "#ffeb80", "#bfeeb7", "#ddd9ff"];
const colours = new Map();
const $ = (id) => document.getElementById(id);

function colourOf(type) {
  if (!colours.has(type)) colours.set(type, palette[colours.size % palette.length]);
  return colours.get(type);
}

function mark(type, text, withTag) {
  const m = document.createElement("mark");
  m.className = "entity";
  m.dataset.type = type;
  m.style.background = colourOf(type);
  m.appendChild(document.createTextNode(text));
  if (withTag) {
    const tag = document.createElement("span");
    tag.className = "tag";
    tag.textContent = type;
    m.appendChild(tag);
  }
  return m;
}

function renderLegend(types) {
  const legend = $("legend");
  legend.replaceChildren(...types.map((t) => mark(t, t, false)));
}

function renderResult(text, entities) {
  const out = $("result");
  out.replaceChildren();
  let at = 0;
  for (const e of [...entities].sort((a, b) => a.start - b.start)) {
    if (e.start < at) continue; // overlapping mentions cannot nest in flat markup
    out.appendChild(document.createTextNode(text.slice(at, e.start)));
    out.appendChild(mark(e.type, text.slice(e.start, e.end), true));
    at = e.end;
  }
  out.appendChild(document.createTextNode(text.slice(at)));
  const body = $("table").querySelector("tbody");
  body.replaceChildren(...entities.map((e) => {
    const row = document.createElement("tr");
    for (const v of [e.type, e.text, e.start, e.end, e.score.toFixed(3)]) {
      const cell = document.createElement("td");
      cell.textContent = String(v);
      row.appendChild(cell);
    }
    return row;
  }));
  $("table").hidden = entities.length === 0;
}

async function annotate() {
  const text = $("text").value;
  const button = $("annotate");
  button.disabled = true;
  $("status").textContent = "";
  try {
    const response = await fetch("/v1/ner", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text, aggregation: $("aggregation").value }),
    });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error || response.statusText);
    renderResult(text, body.entities);
    const link = $("download");
    if (link.href) URL.revokeObjectURL(link.href);
    link.href = URL.createObjectURL(new Blob([JSON.stringify({ text, ...body }, null, 2)], { type: "application/json" }));
    link.hidden = false;
    document.body.dataset.state = "done";
  } catch (err) {
    $("status").textContent = "Error: " + err.message;
  } finally {
    button.disabled = false;
  }
}

async function loadModel() {
  try {
    const info = await (await fetch("/v1/model")).json();
    info.entityTypes.forEach(colourOf);
    renderLegend(info.entityTypes);
    $("model").textContent = `Model: ${info.name}` + (info.baseModel ? ` (base ${info.baseModel})` : "") + ` — types: ${info.entityTypes.join(", ")}`;
  } catch (err) {
    $("model").textContent = "Model information unavailable";
  }
}

$("annotate").addEventListener("click", annotate);
// A link such as /?text=...&aggregation=simple opens the page already annotated (shareable results).
const query = new URLSearchParams(location.search);
loadModel().then(() => {
  if (query.has("aggregation")) $("aggregation").value = query.get("aggregation");
  if (query.has("text")) { $("text").value = query.get("text"); annotate(); }
});
