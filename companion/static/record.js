// The job-search record's pages: attaching documents (pick or drop a file), and the CSV import preview.
// Like app.js, everything goes through the JSON API; files travel as base64 inside JSON.
import { api, notify } from "./app.js";

function base64Of(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(",", 2)[1] || "");
    reader.onerror = () => reject(new Error(`could not read ${file.name}`));
    reader.readAsDataURL(file);
  });
}

function wireUpload(form) {
  const input = form.querySelector('input[type="file"]');
  const errorBox = form.querySelector(".form-error");
  let dropped = null;
  form.addEventListener("dragover", (event) => { event.preventDefault(); form.classList.add("dragging"); });
  form.addEventListener("dragleave", () => form.classList.remove("dragging"));
  form.addEventListener("drop", (event) => {
    event.preventDefault();
    form.classList.remove("dragging");
    dropped = event.dataTransfer?.files?.[0] || null;
    if (dropped) form.requestSubmit();
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = dropped || input.files[0];
    dropped = null;
    if (!file) {
      errorBox.textContent = "Choose a file first.";
      return;
    }
    const body = { name: file.name, kind: form.querySelector('[name="kind"]').value, content_base64: await base64Of(file) };
    if (form.dataset.upload) body.application_id = Number(form.dataset.upload);
    try {
      const answer = await api("POST", "/api/documents", body);
      sessionStorage.setItem("applied-notice", answer.created ? `${file.name} attached.` : `${file.name} was stored already; linked.`);
      window.location.reload();
    } catch (error) {
      errorBox.textContent = error.message;
    }
  });
}

function wireImport(box) {
  const fileInput = box.querySelector("#import-file");
  const errorBox = box.querySelector("#import-error");
  const panel = box.querySelector("#import-preview");
  const selects = [...box.querySelectorAll("select[data-field]")];
  let text = "";

  const mapping = () => Object.fromEntries(selects.map((s) => [s.dataset.field, s.value || null]));

  function show(answer) {
    panel.hidden = false;
    box.querySelector("#import-format").textContent = answer.format;
    box.querySelector("#import-rows").textContent = String(answer.rows);
    for (const select of selects) {
      select.replaceChildren(new Option("(none)", ""), ...answer.columns.map((c) => new Option(c, c)));
      select.value = answer.mapping[select.dataset.field] || "";
    }
    const body = box.querySelector("#import-table tbody");
    body.replaceChildren(...answer.preview.map((row) => {
      const tr = document.createElement("tr");
      const cells = [row.line, ...selects.map((s) => (row.problem ? "" : row[s.dataset.field] ?? ""))];
      if (row.problem) cells[1] = row.problem;
      for (const value of cells) {
        const td = document.createElement("td");
        td.textContent = String(value);
        tr.append(td);
      }
      return tr;
    }));
    box.querySelector("#import-problems").replaceChildren(...answer.problems.map((p) => {
      const li = document.createElement("li");
      li.textContent = `line ${p.line}: ${p.message}`;
      return li;
    }));
  }

  // Each change of a column asks again; answers can arrive out of order, and only the newest
  // question's answer may fill the table, or it would show rows for columns no longer chosen.
  let asked = 0;
  async function preview(withMapping) {
    const question = ++asked;
    errorBox.textContent = "";
    try {
      const answer = await api("POST", "/api/import/preview", withMapping ? { text, mapping: mapping() } : { text });
      if (question === asked) show(answer);
    } catch (error) {
      if (question === asked) errorBox.textContent = error.message;
    }
  }

  const done = box.querySelector("#import-done");
  const go = box.querySelector("#import-go");
  fileInput.addEventListener("change", async () => {
    const file = fileInput.files[0];
    if (!file) return;
    done.hidden = true;
    text = await file.text();
    preview(false);
  });
  for (const select of selects) select.addEventListener("change", () => preview(true));
  go.addEventListener("click", async () => {
    go.disabled = true; // one click, one import
    try {
      const result = await api("POST", "/api/import", { format: "csv", text, mapping: mapping() });
      showDone(result);
    } catch (error) {
      errorBox.textContent = error.message;
    } finally {
      go.disabled = false;
    }
  });

  /** What the import did, where the preview was: the preview and its button go, the file input stays for another. */
  function showDone(result) {
    panel.hidden = true;
    fileInput.value = "";
    text = "";
    const count = (n, one, many) => `${n} ${n === 1 ? one : many}`;
    const parts = [`${count(result.created, "application was", "applications were")} added`];
    if (result.skipped) {
      parts.push(count(result.skipped, "was stored already and left as it was", "were stored already and left as they were"));
    }
    if (result.problems.length) parts.push(`${count(result.problems.length, "row", "rows")} could not be imported:`);
    box.querySelector("#import-summary").textContent = parts.join("; ") + (result.problems.length ? "" : ".");
    box.querySelector("#import-done-problems").replaceChildren(...result.problems.map((p) => {
      const li = document.createElement("li");
      li.textContent = `line ${p.line}: ${p.message}`;
      return li;
    }));
    done.hidden = false;
    done.focus();
    notify(`Imported ${result.created}.`);
  }
}

document.querySelectorAll("form[data-upload]").forEach(wireUpload);
const importBox = document.getElementById("import-box");
if (importBox) wireImport(importBox);
