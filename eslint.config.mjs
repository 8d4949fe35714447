// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import importX, { createNodeResolver } from "eslint-plugin-import-x";

/**
 * Orchestrators are replayed many times by the Durable runtime, so they must be deterministic and do no I/O.
 * This fence is what keeps them that way; `test/unit/lint-fence.test.ts` proves it rejects violations.
 */
export const orchestratorFence = {
  files: ["src/orchestrators/**/*.ts"],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          { group: ["axios", "axios/*"], message: "Orchestrators do no I/O: call an activity instead." },
          {
            group: ["@azure/*", "!@azure/functions"],
            message: "Orchestrators do no I/O: Azure clients belong in activities.",
          },
          { group: ["node:*"], message: "Orchestrators must be deterministic: no Node.js built-ins." },
          {
            group: ["**/genesys", "**/genesys/**", "**/storage", "**/storage/**"],
            message: "Orchestrators do no I/O: use an activity contract from src/activities.",
          },
          {
            group: ["**/telemetry", "**/telemetry/**", "@opentelemetry/*"],
            message: "Orchestrators replay, so they emit no telemetry: activities and triggers do.",
          },
        ],
        paths: ["fs", "http", "https", "net", "crypto", "child_process", "os", "timers"].map((name) => ({
          name,
          message: "Orchestrators must be deterministic: no Node.js built-ins.",
        })),
      },
    ],
    "no-restricted-properties": [
      "error",
      { object: "Date", property: "now", message: "Use context.df.currentUtcDateTime." },
      { object: "Math", property: "random", message: "Orchestrators must be deterministic." },
      { object: "process", property: "env", message: "Configuration is passed in, never read here." },
    ],
    "no-restricted-syntax": [
      "error",
      {
        selector: "NewExpression[callee.name='Date'][arguments.length=0]",
        message: "Use context.df.currentUtcDateTime.",
      },
      { selector: "CallExpression[callee.name='setTimeout']", message: "Use context.df.createTimer." },
      { selector: "CallExpression[callee.name='setInterval']", message: "Use context.df.createTimer." },
    ],
  },
};

export default tseslint.config(
  { ignores: ["dist/**", "coverage/**", "node_modules/**", "jest.config.js"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // The fence probe is linted from stdin by test/unit/toolchain.test.ts; it never exists on disk.
        projectService: { allowDefaultProject: ["src/orchestrators/fence-probe.ts"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { "import-x": importX },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/require-await": "off",
      eqeqeq: ["error", "smart"],
      "import-x/no-cycle": "error",
    },
    settings: { "import-x/resolver-next": [createNodeResolver({ extensions: [".ts", ".js", ".json"] })] },
  },
  {
    files: ["test/**/*.ts", "bench/**/*.ts", "local/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/unbound-method": "off",
    },
  },
  { files: ["**/*.mjs", "**/*.js"], ...tseslint.configs.disableTypeChecked },
  {
    files: ["**/*.js"],
    ignores: ["src/console/**"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { require: "readonly", module: "writable", __dirname: "readonly", console: "readonly" },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // The operations console: ES modules that run in the browser as written.
    files: ["src/console/**/*.js"],
    languageOptions: {
      sourceType: "module",
      globals: Object.fromEntries(
        [
          "window",
          "document",
          "location",
          "fetch",
          "URL",
          "Blob",
          "Intl",
          "setTimeout",
          "console",
          "HTMLElement",
        ].map((name) => [name, "readonly"]),
      ),
    },
  },
  orchestratorFence,
);
