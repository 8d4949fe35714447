/**
 * The Functions app entry point (package.json "main"). The worker loads it once per process.
 */
import { app } from "@azure/functions";
import { registerFunctions } from "./app";
import { composeDependencies } from "./compose";

registerFunctions(app, composeDependencies(process.env));
