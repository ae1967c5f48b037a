// The schema index: drizzle-kit reads it, and every table and enum is exported from here.
export * from "./core.schema.js";
export * from "./engagement.schema.js";
export * from "./matching.schema.js";
export * from "./outbox.schema.js";
export * from "./scheduler.schema.js";
export * from "./surveys.schema.js";
