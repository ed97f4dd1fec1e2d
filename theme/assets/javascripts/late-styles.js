// The theme's stylesheets arrive after the first paint (generator/firstscreen.py: the page carries
// the rules its first screen uses, and the sheets come with media="print", which does not hold
// rendering). Here they are switched on all at once when every one has arrived: switched on one
// at a time, Material's sheet would for a moment undo the site's own rules that follow it.
(function () {
  "use strict";
  var links = Array.prototype.slice.call(document.querySelectorAll("link[data-tryggt-later]"));
  var waiting = links.length;

  function arrived() {
    waiting -= 1;
    if (waiting > 0) return;
    links.forEach(function (link) {
      link.media = "all";
      link.removeAttribute("data-tryggt-later");
    });
  }

  links.forEach(function (link) {
    var loaded = false;
    try {
      loaded = link.sheet !== null && link.sheet.cssRules !== null;
    } catch (error) {
      loaded = true; // a sheet that cannot be read has arrived all the same
    }
    if (loaded) {
      arrived();
    } else {
      // A sheet that fails to load is counted too: the others must not wait for it forever.
      link.addEventListener("load", arrived, { once: true });
      link.addEventListener("error", arrived, { once: true });
    }
  });
})();
