// Shows the implied hourly rate (fee ÷ hours) while the employer types.
// The server checks the same limits; this only saves a round trip.
(function () {
  "use strict";
  var hint = document.getElementById("rate-hint");
  var fee = document.getElementById("id_fee");
  var hours = document.getElementById("id_hours");
  if (!hint || !fee || !hours) { return; }
  var floor = Number(hint.dataset.floor);
  var typical = Number(hint.dataset.typical);
  var ceiling = Number(hint.dataset.ceiling);
  var initial = hint.textContent;

  function dollars(cents) {
    return "$" + (cents / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  function update() {
    var feeCents = Math.round(Number(String(fee.value).replace(/[$,\s]/g, "")) * 100);
    var h = parseInt(hours.value, 10);
    if (!feeCents || !h || h <= 0) {
      hint.textContent = initial;
      hint.className = "small";
      return;
    }
    var rate = Math.floor(feeCents / h);
    var text = "That is " + dollars(rate) + " an hour";
    var css = "small text-success";
    if (rate < floor) {
      text += ": below the " + dollars(floor) + " minimum. For " + h + " hours, pay at least " + dollars(floor * h) + ".";
      css = "small text-danger";
    } else if (rate > ceiling) {
      text += ": above the " + dollars(ceiling) + " limit. Check the fee and the hours.";
      css = "small text-danger";
    } else if (rate <= typical) {
      text += ", within the typical " + dollars(floor) + "–" + dollars(typical) + ".";
    } else {
      text += ", above the typical " + dollars(floor) + "–" + dollars(typical) + ".";
    }
    hint.textContent = text;
    hint.className = css;
  }

  fee.addEventListener("input", update);
  hours.addEventListener("input", update);
  update();
})();
