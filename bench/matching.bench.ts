import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { proposeMatches } from "../src/features/matching/matching.js";
import { DAY_PARTS, DAYS, DEFAULT_WEIGHTS, type MatchProfile } from "../src/features/matching/profile.js";
import { scoreMatrix } from "../src/features/matching/scoring.js";
import { solveAssignment } from "../src/features/matching/solver.js";

const MENTEES = 1000;
const MENTORS = 300;
const ROUNDS = 7;
const WARM_UP = 20;
const BLOCK = 3;
/** The interpreter with SciPy: Debian's python3-scipy is /usr/bin/python3 (a pyenv shim may come first on PATH). */
const PYTHON = process.env.PYTHON ?? "python3";
const AT = new Date("2026-11-27T12:00:00Z");

const SKILLS = [
  "Excel",
  "CV",
  "Négociation",
  "Prise de parole",
  "Gestion de projet",
  "Leadership",
  "Management",
  "Python",
  "SQL",
  "Data visualisation",
  "Power BI",
  "Comptabilité",
  "Finance",
  "Contrôle de gestion",
  "Marketing digital",
  "SEO",
  "Réseaux sociaux",
  "Vente",
  "Relation client",
  "Entrepreneuriat",
  "Levée de fonds",
  "Business plan",
  "Stratégie",
  "Ressources humaines",
  "Recrutement",
  "Droit du travail",
  "Juridique",
  "Achats",
  "Logistique",
  "Supply chain",
  "Qualité",
  "Lean",
  "Agile",
  "Scrum",
  "Product management",
  "UX design",
  "UI design",
  "Graphisme",
  "Rédaction",
  "Communication",
  "Anglais",
  "Espagnol",
  "Allemand",
  "Développement web",
  "JavaScript",
  "Cloud",
  "Cybersécurité",
  "IA",
  "Machine learning",
  "Bureautique",
  "Organisation",
  "Gestion du temps",
  "Confiance en soi",
  "Réseau",
  "Orientation",
  "Reconversion",
  "Entretien d'embauche",
  "LinkedIn",
  "Mobilité internationale",
  "RSE",
];
const DOMAINS = ["industrie", "santé", "banque", "commerce", "numérique", "public", "conseil", "énergie"];
const OTHER_TIME_ZONES = [
  "Europe/London",
  "Europe/Brussels",
  "Africa/Casablanca",
  "Africa/Dakar",
  "Indian/Reunion",
  "America/Martinique",
  "America/Montreal",
  "America/New_York",
  "Asia/Kolkata",
  "Pacific/Noumea",
];

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded population that looks like a French training organisation's programme. */
function generate(seed: number): { mentors: MatchProfile[]; mentees: MatchProfile[] } {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const popular = () => SKILLS[Math.floor(SKILLS.length * random() ** 1.8)] as string;
  const some = <T>(draw: () => T, min: number, max: number): T[] => {
    const n = min + Math.floor(random() * (max - min + 1));
    return [...new Set(Array.from({ length: n }, draw))];
  };
  const languages = (): string[] => {
    const roll = random();
    if (roll < 0.9) return random() < 0.35 ? ["fr", "en"] : ["fr"];
    return [pick(["en", "en", "es", "de", "ar"]), ...(random() < 0.3 ? ["en"] : [])];
  };
  const person = (role: "mentor" | "mentee", i: number): MatchProfile => ({
    participantId: `${role}-${String(i).padStart(4, "0")}`,
    role,
    languages: languages(),
    timeZone: random() < 0.82 ? "Europe/Paris" : pick(OTHER_TIME_ZONES),
    availability: { days: some(() => pick(DAYS), 1, 4), parts: some(() => pick(DAY_PARTS), 1, 2) },
    skills: some(
      role === "mentor" ? popular : () => pick(SKILLS),
      role === "mentor" ? 3 : 1,
      role === "mentor" ? 8 : 4,
    ).map((s) => (random() < 0.2 ? s.toLowerCase() : s)),
    ...(random() < 0.7 ? { domain: pick(DOMAINS) } : {}),
    ...(random() < 0.8 ? { style: 1 + Math.floor(random() * 5) } : {}),
    ...(random() < 0.5 ? { managerId: `manager-${Math.floor(random() * 120)}` } : {}),
    ...(role === "mentor" ? { capacity: 1 + Math.floor(random() * 4) } : {}),
  });
  const mentors = Array.from({ length: MENTORS }, (_, i) => person("mentor", i));
  const mentees = Array.from({ length: MENTEES }, (_, i) => person("mentee", i));
  const someMentor = () => (mentors[Math.floor(MENTORS * random() ** 2)] as MatchProfile).participantId;
  for (const mentee of mentees) {
    if (random() < 0.3) mentee.rankedChoices = some(someMentor, 1, 3);
    if (random() < 0.1) mentee.previousPartners = [pick(mentors).participantId];
    if (random() < 0.03) mentee.notWith = [pick(mentors).participantId];
  }
  for (const mentor of mentors) if (random() < 0.05) mentor.notWith = some(() => pick(mentees).participantId, 1, 2);
  return { mentors, mentees };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

interface Measured {
  wallMs: number;
  cpuMs: number;
}

/** Wall-clock and CPU milliseconds of one call: CPU time is steadier on a shared machine. */
function measure<T>(run: () => T): Measured & { value: T } {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const value = run();
  const wallMs = performance.now() - wall;
  const used = process.cpuUsage(cpu);
  return { value, wallMs, cpuMs: (used.user + used.system) / 1000 };
}

/** Memory one call allocates (heap and typed-array buffers, garbage included) and what its result keeps. */
function memoryOf(run: () => unknown): string {
  gc();
  const before = process.memoryUsage();
  const kept = run();
  const during = process.memoryUsage();
  gc();
  const after = process.memoryUsage();
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const allocated = during.heapUsed + during.arrayBuffers - before.heapUsed - before.arrayBuffers;
  const retained = after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers;
  return kept === undefined ? "" : `allocates ${mib(allocated)}, keeps ${mib(Math.max(0, retained))}`;
}

/** A python3 process that runs linear_sum_assignment each time it is asked, for paired timings. */
async function startReference(instanceFile: string) {
  const script = join(dirname(fileURLToPath(import.meta.url)), "matching_reference.py");
  const child = spawn(PYTHON, [script, instanceFile], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async <T>(): Promise<T> => {
    const line = await lines.next();
    if (line.done) throw new Error(`matching_reference.py stopped; does ${PYTHON} have SciPy (python3-scipy)?`);
    return JSON.parse(line.value) as T;
  };
  const about = await next<{ slots: number; scipy: string; numpy: string }>();
  return {
    about,
    run: async () => {
      child.stdin.write("run\n");
      return next<Measured & { matched: number; total: number }>();
    },
    stop: () => child.stdin.end(),
  };
}

v8.setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const loadAtStart = loadavg()[0]!.toFixed(1);
const { mentors, mentees } = generate(20261127);
const weights = { ...DEFAULT_WEIGHTS };
const score = () => scoreMatrix(mentors, mentees, weights, AT);
const propose = () => proposeMatches({ mentors, mentees, weights, at: AT });

// First calls in a fresh process: what a one-off `binome match` pays (JIT compilation, ICU zone data).
const firstScoring = measure(score);
const matrix = firstScoring.value;
const solve = () => solveAssignment(matrix.scores, matrix.nMentees, matrix.nMentors, matrix.capacities);
const firstSolving = measure(solve);
const firstProposing = measure(propose);
for (let i = 0; i < WARM_UP; i++) {
  score();
  solve();
  propose();
}

const folder = mkdtempSync(join(tmpdir(), "binome-matching-"));
const instanceFile = join(folder, "instance.i32");
const header = Int32Array.from([matrix.nMentees, matrix.nMentors, ...matrix.capacities]);
writeFileSync(instanceFile, Buffer.concat([Buffer.from(header.buffer), Buffer.from(matrix.scores.buffer)]));
const reference = await startReference(instanceFile);
const firstReference = await reference.run();
const timeOnly = ({ wallMs, cpuMs }: Measured): Measured => ({ wallMs, cpuMs });
const scoring = Array.from({ length: ROUNDS * BLOCK }, () => timeOnly(measure(score)));
const proposing = Array.from({ length: ROUNDS * BLOCK }, () => timeOnly(measure(propose)));
// Rounds alternate a block of solver calls with a block of scipy calls, so that a burst of
// load from other processes on a shared machine tends to hit both sides.
const solving: Measured[] = [];
const referencing: Measured[] = [];
for (let i = 0; i < ROUNDS; i++) {
  const ours = Array.from({ length: BLOCK }, () => measure(solve));
  const theirs: (Measured & { matched: number; total: number })[] = [];
  for (let j = 0; j < BLOCK; j++) theirs.push(await reference.run());
  solving.push(...ours.map(timeOnly));
  referencing.push(...theirs);
  for (const [k, run] of ours.entries()) {
    const other = theirs[k]!;
    if (run.value.matched !== other.matched || run.value.total !== other.total) {
      console.error(
        `MISMATCH: binome ${run.value.matched} / ${run.value.total}, scipy ${other.matched} / ${other.total}`,
      );
      process.exitCode = 1;
    }
  }
}
reference.stop();
rmSync(folder, { recursive: true, force: true });

const cpu = (runs: readonly Measured[]) => runs.map((run) => run.cpuMs);
const ms = (value: number) => value.toFixed(1).padStart(8);
const row = (label: string, first: Measured, runs: readonly Measured[], memory = "") =>
  `${label.padEnd(16)}${ms(first.cpuMs)}${ms(Math.min(...cpu(runs)))}${ms(median(cpu(runs)))}${ms(median(runs.map((run) => run.wallMs)))}  ${memory}`;
const forbidden = matrix.scores.reduce((n, value) => n + (value < 0 ? 1 : 0), 0);
const share = ((100 * forbidden) / matrix.scores.length).toFixed(1);
const result = firstSolving.value;
console.log(
  `instance: ${MENTEES} mentees × ${MENTORS} mentors, ${reference.about.slots} mentor places, ${forbidden} forbidden pairs (${share}%)`,
);
console.log(
  `node ${process.version}, ${PYTHON} with scipy ${reference.about.scipy}, numpy ${reference.about.numpy}; load average ${loadAtStart} at start, ${loadavg()[0]!.toFixed(1)} at end`,
);
console.log(
  `${WARM_UP} warm-up calls, then ${ROUNDS * BLOCK} timed calls (solver: ${ROUNDS} blocks of ${BLOCK} alternating with scipy's)`,
);
console.log(
  `${"CPU ms".padEnd(16)}${"first".padStart(8)}${"best".padStart(8)}${"median".padStart(8)}${"wall med".padStart(10)}`,
);
// Why: freed typed arrays are otherwise counted until a background sweep ends, which blurs the deltas.
v8.setFlagsFromString("--no-concurrent-array-buffer-sweeping");
console.log(row("scoreMatrix", firstScoring, scoring, memoryOf(score)));
console.log(row("solveAssignment", firstSolving, solving, memoryOf(solve)));
console.log(row("scipy LSA", firstReference, referencing));
console.log(row("proposeMatches", firstProposing, proposing, memoryOf(propose)));
const best = Math.min(...cpu(solving)) / Math.min(...cpu(referencing));
const typical = median(cpu(solving)) / median(cpu(referencing));
console.log(`solveAssignment / scipy LSA, CPU time: best ×${best.toFixed(2)}, median ×${typical.toFixed(2)}`);
console.log(
  `optimum: binome matched ${result.matched}, total ${result.total}; scipy matched ${firstReference.matched}, total ${firstReference.total}`,
);
console.log(`peak rss ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
