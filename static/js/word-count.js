// The reflection's word count as the student types, counted as the server counts it: a run
// of characters without spaces holding at least one letter or digit.
(() => {
  const output = document.getElementById("word-count");
  const field = output && document.getElementById(output.dataset.for);
  if (!field) return;
  const min = Number(output.dataset.min);
  const max = Number(output.dataset.max);
  const show = () => {
    const count = (field.value.match(/\S*[\p{L}\p{N}]\S*/gu) || []).length;
    let hint = "";
    if (count < min) hint = ` (${min - count} to go)`;
    else if (count > max) hint = ` (${count - max} too many)`;
    output.textContent = `${count} words${hint}; between ${min} and ${max}.`;
  };
  field.addEventListener("input", show);
  show();
})();
