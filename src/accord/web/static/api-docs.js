// Draws the interactive API documentation from the application's own OpenAPI document.
// Loaded as a file (never inline), so the site's Content-Security-Policy needs no exception.
(function () {
  "use strict";
  var target = document.getElementById("swagger-ui");
  if (!target || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: target.getAttribute("data-openapi"),
    dom_id: "#swagger-ui",
    // Deep links put a link inside each operation's toggle button, which screen readers cannot use.
    deepLinking: false,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    validatorUrl: null, // never send the document to an outside validator
    persistAuthorization: false,
    tryItOutEnabled: false,
    onComplete: function () {
      // Swagger UI leaves its server chooser without a name.
      var servers = document.getElementById("servers");
      if (servers) {
        servers.setAttribute("aria-label", target.getAttribute("data-servers-label") || "Servers");
      }
    },
  });
})();
