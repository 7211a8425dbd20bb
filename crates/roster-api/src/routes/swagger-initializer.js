// Roster's Swagger UI set-up (served instead of the stock initializer).
//
// - The top bar (a box to load another document) does nothing useful here: BaseLayout.
// - Swagger UI 5.17 shows a "Servers" block in every operation of an OpenAPI 3.1 document
//   although the document names no server (swagger-ui#9947); it only ever offers "/". The
//   plugin hides that block.
// - Authorization persists across reloads, so a person signs in once.
window.onload = function () {
  const NoOperationServers = function () {
    return { wrapComponents: { OperationServers: function () { return function () { return null; }; } } };
  };
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: true,
    presets: [SwaggerUIBundle.presets.apis],
    plugins: [NoOperationServers],
    layout: "BaseLayout",
  });
};
