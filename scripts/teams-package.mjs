#!/usr/bin/env node
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
// Builds manifest/teams/build/binome-teams.zip: manifest.json (with TEAMS_APP_ID and BINOME_WEBSITE_URL
// filled in) and the two icons, at the root of the zip as Teams requires. Writes the zip with node's zlib.
import { crc32, deflateRawSync } from "node:zlib";

const source = join(dirname(fileURLToPath(import.meta.url)), "..", "manifest", "teams");
const output = join(source, "build", "binome-teams.zip");

const appId = process.env.TEAMS_APP_ID?.trim();
const website = process.env.BINOME_WEBSITE_URL?.trim().replace(/\/+$/, "");
const problems = [];
if (!appId || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(appId)) {
  problems.push("  TEAMS_APP_ID: the bot's Microsoft App ID (a GUID)");
}
if (!website?.startsWith("https://")) {
  problems.push(
    "  BINOME_WEBSITE_URL: your https page about binome; Teams shows it, with /privacy and /terms under it",
  );
}
if (problems.length > 0) {
  console.error(`Cannot build the Teams app package:\n${problems.join("\n")}`);
  process.exit(1);
}

const manifest = readFileSync(join(source, "manifest.json"), "utf8")
  .replaceAll("{{TEAMS_APP_ID}}", appId)
  .replaceAll("{{BINOME_WEBSITE_URL}}", website);
const parsed = JSON.parse(manifest);
const commands = parsed.bots.flatMap((bot) => bot.commandLists.map((list) => list.commands.length));
if (commands.some((n) => n > 10)) throw new Error("Teams allows at most 10 commands per command list");

const files = [
  ["manifest.json", Buffer.from(manifest)],
  ["color.png", readFileSync(join(source, "color.png"))],
  ["outline.png", readFileSync(join(source, "outline.png"))],
];

// A zip: a local header and deflated data per file, then the central directory and its end record.
const DOS_DATE = (1 << 5) | 1; // 1980-01-01, so that the same sources give the same zip
const locals = [];
const centrals = [];
let offset = 0;
for (const [name, data] of files) {
  const nameBytes = Buffer.from(name);
  const deflated = deflateRawSync(data, { level: 9 });
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(0, 6);
  local.writeUInt16LE(8, 8);
  local.writeUInt16LE(0, 10);
  local.writeUInt16LE(DOS_DATE, 12);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(deflated.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  local.writeUInt16LE(0, 28);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(0, 8);
  central.writeUInt16LE(8, 10);
  central.writeUInt16LE(0, 12);
  central.writeUInt16LE(DOS_DATE, 14);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(deflated.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  central.writeUInt32LE(offset, 42);
  locals.push(local, nameBytes, deflated);
  centrals.push(central, nameBytes);
  offset += local.length + nameBytes.length + deflated.length;
}
const directory = Buffer.concat(centrals);
const end = Buffer.alloc(22);
end.writeUInt32LE(0x06054b50, 0);
end.writeUInt16LE(files.length, 8);
end.writeUInt16LE(files.length, 10);
end.writeUInt32LE(directory.length, 12);
end.writeUInt32LE(offset, 16);

mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, Buffer.concat([...locals, directory, end]));
console.log(`Teams app package: ${output}`);
