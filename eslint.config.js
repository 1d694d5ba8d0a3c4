// The linter of the browser scripts (`make lint`, and scripts/run-tests before pytest).
// One dialect everywhere: classic scripts (served as written, no build step, loaded with
// <script defer>), ES2020, each file one arrow IIFE with "use strict" that shares what it
// must through window (window.dastanPlayer and the like, which the browser tests read).
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["**/vendor/**", "node_modules/**", ".venv/**", "var/**", "test-output/**"] },
  js.configs.recommended,
  {
    files: ["dastan/**/*.js"],
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: "script",
      // Hls: the vendored hls.js (media/vendor/hls.min.js); tus: tus-js-client (studio).
      globals: { ...globals.browser, Hls: "readonly", tus: "readonly" },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      strict: ["error", "function"],
      "no-var": "error",
      "prefer-const": "error",
      "prefer-arrow-callback": "error",
      eqeqeq: ["error", "always"],
      "no-unused-vars": ["error", { args: "none", caughtErrors: "none" }],
      "no-implicit-globals": "error",
    },
  },
  {
    files: ["eslint.config.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: globals.node },
  },
];
