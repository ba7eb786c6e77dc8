// Drag and drop in the outline editor: after a drop, post the whole tree ("id:parent" pairs in
// reading order) to the reorder view, which renumbers and reloads the page.
(function () {
  "use strict";
  var root = document.getElementById("outline-root");
  var form = document.getElementById("reorder-form");
  if (!root || !form || typeof Sortable === "undefined") {
    return;
  }

  function serialise() {
    var pairs = [];
    root.querySelectorAll("li.outline-node").forEach(function (node) {
      var parent = node.parentElement.closest("li.outline-node");
      pairs.push(node.dataset.section + ":" + (parent ? parent.dataset.section : ""));
    });
    return pairs.join(",");
  }

  var before = serialise();
  var lists = [root].concat(Array.prototype.slice.call(root.querySelectorAll("ol.outline-tree")));
  lists.forEach(function (list) {
    Sortable.create(list, {
      group: "outline",
      handle: ".outline-handle",
      animation: 150,
      fallbackOnBody: true,
      swapThreshold: 0.65,
      onEnd: function () {
        var order = serialise();
        if (order !== before) {
          document.getElementById("reorder-order").value = order;
          form.submit();
        }
      },
    });
  });
})();
