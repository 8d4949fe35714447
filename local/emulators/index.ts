import { startSuccessFactorsEmulator, SF_EMULATOR_PASSWORD, SF_EMULATOR_USER } from "./successfactors";
import { startWorkdayEmulator, WORKDAY_EMULATOR_PASSWORD, WORKDAY_EMULATOR_USER } from "./workday";
import type { RunningEmulator } from "./http";

const isLocal = (url: string | undefined) =>
  url === undefined || url === "" || /^https?:\/\/(localhost|127\.0\.0\.1)(:|\/|$)/i.test(url);

/**
 * For `npm start`: starts the Workday (8086) and SuccessFactors (8087) emulators unless the settings point the
 * HR callbacks at real systems. Returns what it started, so the caller can close it.
 */
export async function startHrEmulatorsUnlessConfigured(
  env: NodeJS.ProcessEnv,
  ports: { workday?: number; successFactors?: number } = {},
): Promise<RunningEmulator[]> {
  const started: RunningEmulator[] = [];
  if (isLocal(env.WORKDAY_API_URL)) {
    started.push(
      await startWorkdayEmulator({
        port: ports.workday ?? 8086,
        user: env.WORKDAY_API_USER || WORKDAY_EMULATOR_USER,
        password: env.WORKDAY_API_PASSWORD || WORKDAY_EMULATOR_PASSWORD,
      }),
    );
  }
  if (isLocal(env.SF_API_URL)) {
    started.push(
      await startSuccessFactorsEmulator({
        port: ports.successFactors ?? 8087,
        user: env.SF_API_USER || SF_EMULATOR_USER,
        password: env.SF_API_PASSWORD || SF_EMULATOR_PASSWORD,
      }),
    );
  }
  return started;
}
