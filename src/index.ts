/**
 * The Functions app entry point (package.json "main"). The worker loads it once per process.
 */
import { app } from "@azure/functions";
import { registerFunctions } from "./app";
import { composeDependencies } from "./compose";
import { followHostTraceContext } from "./telemetry";

const dependencies = composeDependencies(process.env);
registerFunctions(app, dependencies);
if (dependencies.telemetry) followHostTraceContext(app.hook, dependencies.telemetry);
