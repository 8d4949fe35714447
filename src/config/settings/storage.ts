import { requiredText } from "./values";

/** Where the product keeps its state. */
export const STORAGE_SETTINGS = {
  TABLES_CONNECTION: {
    schema: requiredText,
    description:
      "Table Storage for mappings, inbox, audit and quarantine: a connection string (`UseDevelopmentStorage=true` locally), or a table endpoint URL (`https://<account>.table.core.windows.net`) reached with the managed identity.",
    secret: true,
  },
} as const;
