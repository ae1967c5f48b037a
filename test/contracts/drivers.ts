import type { AdapterDriver } from "./contract.js";
import { playgroundDriver } from "./playground-driver.js";
import { slackDriver } from "./slack-driver.js";
import { teamsDriver } from "./teams-driver.js";

export * from "./contract.js";

/** Every adapter the contract suites run against. */
export const drivers: AdapterDriver[] = [slackDriver, teamsDriver, playgroundDriver];
