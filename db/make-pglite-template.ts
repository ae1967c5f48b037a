// `npm run build` runs this once: it makes the migrated PGlite folder that first starts copy.
import { buildTemplate } from "./pglite-template.js";

await buildTemplate();
