// @ts-check
// swagger-init.js: start Swagger UI on /docs (templates/docs_swagger.html) from the locally served bundle.
// An external file rather than FastAPI's inline script, so /docs runs under the site's strict CSP.
const root = /** @type {HTMLElement} */ (document.getElementById("swagger-ui"));
/** @type {any} */ (window).SwaggerUIBundle({
  url: root.dataset.openapiUrl ?? "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  showExtensions: true,
  tryItOutEnabled: true,
});
