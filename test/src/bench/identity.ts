/**
 * `npm run bench -- identity [--people 1000000] [--records 200000] [--seed 2021] [--batch 1000]
 *   [--workers 0] [--model path] [--profile tuned|held-out] [--noise typo=0.05,yearOnly=0.1]
 *   [--decisions decisions.jsonl] [--train-records N [--train-spec spec.json] [--trained-model out.json]]`
 * `npm run bench -- identity --febrl [--febrl-model path]`: the public FEBRL files instead, each
 *   deduplicated under a model the linkage CLI trains on that file (`link train` from
 *   `identity/models/febrl.spec.json`), or under the model `--febrl-model` names.
 *
 * Identity resolution against ground truth: a registry of `--people` synthetic persons plus
 * the twins and namesakes the noise profile adds, indexed in memory under the model; then
 * `--records` source records made by the noise model (some of people the registry does not
 * hold) linked in batches by the matcher. Prints precision, recall and F1 of auto-links and
 * of auto-links plus review, the share sent to review, and records linked per second (wall
 * clock, and per CPU second of the process). `--workers N` links in a pool of N worker
 * threads, each holding its own index; 0 links in this thread. `--decisions` writes every
 * decision with its evidence (then the speed is not a measurement). `--train-records N` first
 * trains the model (`identity/models/vn-person.spec.json` unless `--train-spec`) on N records
 * of registry persons made by the tuned profile under seed + 1, against the registry's
 * persons, and links with it (`--trained-model` keeps it and its report).
 */
import { createWriteStream } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import { defaultModel, LinkingPool, loadModel, loadTrainingSpec, Matcher, MemoryIndex, normaliseRecord, trainModel, type LinkageModel, type LinkDecision, type NormalisedRecord, type RawRecord } from '@health-hub/identity';
import { confusersOf, createPopulation, NAMED_NOISE_PROFILES, noiseProfile, noisyReference, type NoiseProfile, type NoisyReference, type Person } from '@health-hub/simulators';
import { FEBRL_DIR, FEBRL_SPEC, scoreFebrl } from './identity-febrl';
import { machineLine } from './machine';

/** The figures of one run. */
export interface IdentityBenchResult {
  registryPersons: number;
  records: number;
  linkable: number;
  autoLinks: number;
  autoCorrect: number;
  reviews: number;
  reviewsWithTruth: number;
  unknown: number;
  rejected: number;
  precisionAuto: number;
  recallAuto: number;
  f1Auto: number;
  recallAutoPlusReview: number;
  reviewShare: number;
  linksPerSecond: number;
  /** Records linked per CPU second of the whole process (all threads), what a loaded machine blurs least. */
  linksPerCpuSecond: number;
  indexSeconds: number;
  falseLinksByNoise: Record<string, number>;
  missedByNoise: Record<string, number>;
}

/** Builds the registry, links the records and measures; reused by the test at small sizes. */
export async function measureIdentity(options: {
  people: number;
  records: number;
  seed: number;
  batch: number;
  /** Worker threads to link in (each with its own index); 0: this thread. */
  workers?: number;
  modelPath?: string;
  /** The named noise profile (`tuned`, the default, or `held-out`), with `noise` rates changed. */
  profile?: string;
  noise?: Record<string, number>;
  log?: (line: string) => void;
  /**
   * Writes every decision (candidates, weights and evidence included) to this file, one JSON
   * line per record, to compare two versions of the matcher byte for byte. Working out the
   * evidence costs time: a run that writes decisions does not measure speed.
   */
  decisionsPath?: string;
  /**
   * Trains the model first (from `trainSpec`) on this many records of registry persons made
   * with the tuned profile under another seed, against the registry's persons; then links
   * with it. Never on the profile measured when that is the held-out one.
   */
  trainRecords?: number;
  trainSpec?: string;
  /** Writes the trained model and its report here (`.report.json` beside it). */
  trainedModelPath?: string;
}): Promise<IdentityBenchResult> {
  const log = options.log ?? (() => {});
  let model: LinkageModel = options.modelPath ? loadModel(options.modelPath) : defaultModel();
  const profile = profileOf(options.profile, options.noise);
  // Persons past `people` are the ones the registry does not hold.
  const population = createPopulation({ seed: options.seed, size: options.people + options.records });

  const started = performance.now();
  const workers = options.workers ?? 0;
  const taken = new Set<string>();
  const registry: Person[] = [];
  for (let i = 0; i < options.people; i++) {
    const p = population.person(i);
    taken.add(p.citizenId);
    registry.push(p);
  }
  const confusers: Person[] = [];
  for (let i = 0; i < options.people; i++) confusers.push(...confusersOf(population, registry[i]!, profile, taken));
  registry.push(...confusers);
  const indexOptions = { maxBirthYear: 2100, nameOrders: false, keepValidValues: true };
  let linkBatch: (raws: RawRecord[]) => Promise<LinkDecision[]>;
  let pool: LinkingPool | undefined;
  if (workers > 0 && options.trainRecords) throw new Error('--train-records links in this thread: leave out --workers');
  if (workers > 0) {
    // The benchmark reads decisions and candidates, not evidence: none is copied back.
    pool = new LinkingPool(model, { workers, evidence: false });
    const adding: Array<Promise<unknown>> = [];
    for (let at = 0; at < registry.length; at += 50_000) adding.push(pool.addPersons(registry.slice(at, at + 50_000).map(registryRecord), indexOptions));
    await Promise.all(adding);
    // The first batch counts the term frequencies in each worker: index time, not link time.
    await Promise.all(Array.from({ length: workers }, () => pool!.linkRaw([])));
    linkBatch = (raws) => pool!.linkRaw(raws);
  } else {
    if (options.trainRecords) model = trainOnRegistry(options, population, registry, profileOf('tuned'), log);
    const index = new MemoryIndex(model);
    const batchOf: NormalisedRecord[] = [];
    for (const p of registry) {
      const n = normaliseRecord(model, registryRecord(p), indexOptions);
      if (n.ok) batchOf.push(n.record);
      if (batchOf.length === 50_000) index.add(batchOf.splice(0));
    }
    index.add(batchOf.splice(0));
    await index.termFrequencies();
    const matcher = new Matcher(model, index);
    linkBatch = (raws) => matcher.linkRaw(raws);
  }
  const indexSeconds = (performance.now() - started) / 1000;
  log(`Registry: ${options.people.toLocaleString('en')} persons + ${confusers.length.toLocaleString('en')} twins and namesakes, indexed in ${indexSeconds.toFixed(1)} s${workers > 0 ? ` (in each of ${workers} worker threads)` : ''}`);

  // The records: mostly of registry persons (confusers included), some of people it lacks.
  const references: NoisyReference[] = [];
  let outside = options.people;
  for (let r = 0; r < options.records; r++) {
    const pick = mixHash(options.seed, r);
    const inRegistry = (pick % 10_000) / 10_000 >= profile.notInRegistry;
    const person = inRegistry ? registry[Math.floor(pick / 10_000) % registry.length]! : population.person(outside++);
    references.push(noisyReference(population, person, r, profile, inRegistry, options.people));
  }
  const raws = references.map(rawOf);

  // Decisions are tallied batch by batch and dropped, as the registry does with its batches.
  const m = { autoLinks: 0, autoCorrect: 0, reviews: 0, reviewsWithTruth: 0, unknown: 0, rejected: 0, linkable: 0 };
  const falseLinksByNoise: Record<string, number> = {};
  const missedByNoise: Record<string, number> = {};
  const count = (into: Record<string, number>, ref: NoisyReference) => {
    for (const n of ref.noise.length > 0 ? ref.noise : ['none']) into[n] = (into[n] ?? 0) + 1;
  };
  const written = options.decisionsPath ? createWriteStream(options.decisionsPath) : undefined;
  const tally = (decisions: LinkDecision[], at: number) => {
    if (written) written.write(decisions.map((d) => JSON.stringify(d)).join('\n') + '\n');
    decisions.forEach((d, i) => {
      const ref = references[at + i]!;
      if (ref.truth) m.linkable++;
      if (d.outcome === 'LINKED') {
        m.autoLinks++;
        if (d.personId === ref.truth) m.autoCorrect++;
        else count(falseLinksByNoise, ref);
      } else {
        if (d.outcome === 'REVIEW') {
          m.reviews++;
          if (ref.truth && d.candidates.some((c) => c.personId === ref.truth)) m.reviewsWithTruth++;
        } else if (d.outcome === 'UNKNOWN') m.unknown++;
        else m.rejected++;
        if (ref.truth && !(d.outcome === 'REVIEW' && d.candidates.some((c) => c.personId === ref.truth))) count(missedByNoise, ref);
      }
    });
  };

  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  // Two batches in flight per worker, so none waits for the next one.
  let next = 0;
  const lane = async () => {
    for (let at = next; at < raws.length; at = next) {
      next += options.batch;
      tally(await linkBatch(raws.slice(at, at + options.batch)), at);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, workers * 2) }, lane));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await pool?.close();
  if (written) await new Promise<void>((done, fail) => written.end((e?: Error | null) => (e ? fail(e) : done())));

  const precisionAuto = m.autoLinks === 0 ? 1 : m.autoCorrect / m.autoLinks;
  const recallAuto = m.autoCorrect / m.linkable;
  return {
    registryPersons: registry.length,
    records: references.length,
    ...m,
    precisionAuto,
    recallAuto,
    f1Auto: (2 * precisionAuto * recallAuto) / (precisionAuto + recallAuto),
    recallAutoPlusReview: (m.autoCorrect + m.reviewsWithTruth) / m.linkable,
    reviewShare: m.reviews / references.length,
    linksPerSecond: references.length / seconds,
    linksPerCpuSecond: references.length / ((cpu.user + cpu.system) / 1e6),
    indexSeconds,
    falseLinksByNoise,
    missedByNoise,
  };
}

/**
 * The model trained on the registry's persons against records made by the tuned profile
 * under another seed (seed + 1), some of people the registry lacks (the profile's rate):
 * training sees no record it is measured on.
 */
function trainOnRegistry(
  options: { seed: number; people: number; records: number; trainRecords?: number; trainSpec?: string; trainedModelPath?: string },
  population: ReturnType<typeof createPopulation>,
  registry: Person[],
  tuned: NoiseProfile,
  log: (line: string) => void,
): LinkageModel {
  const spec = loadTrainingSpec(options.trainSpec ?? resolve(__dirname, '../../../identity/models/vn-person.spec.json'));
  const indexOptions = { maxBirthYear: 2100, nameOrders: false, keepValidValues: true };
  const right: NormalisedRecord[] = [];
  for (const p of registry) {
    const n = normaliseRecord(spec.model, registryRecord(p), indexOptions);
    if (n.ok) right.push(n.record);
  }
  const left: NormalisedRecord[] = [];
  // People the registry lacks, at the tuned rate, from the far end of the outsiders the
  // measured records take theirs from the near end of.
  let outside = options.people + options.records;
  for (let r = 0; r < options.trainRecords!; r++) {
    const pick = mixHash(options.seed + 1, r);
    const inRegistry = (pick % 10_000) / 10_000 >= tuned.notInRegistry;
    const person = inRegistry ? registry[Math.floor(pick / 10_000) % registry.length]! : population.person(--outside);
    const n = normaliseRecord(spec.model, rawOf(noisyReference(population, person, options.records + r, tuned, inRegistry, options.people)), { maxBirthYear: 2100, keepValidValues: true });
    if (n.ok) left.push(n.record);
  }
  const t0 = performance.now();
  const trained = trainModel(spec, { left, right, dedupe: false });
  const r = trained.report;
  log(`Trained on ${left.length.toLocaleString('en')} tuned-profile records (${options.people + options.records - outside} of people the registry lacks) against ${right.length.toLocaleString('en')} persons in ${((performance.now() - t0) / 1000).toFixed(1)} s: prior ${r.prior.value} (from ${r.prior.from}), auto-link ${r.thresholds.autoLink}, review ${r.thresholds.review}, ${JSON.stringify(r.thresholds.byProbability)}; passes ${r.passes.map((p) => `${p.rule} ${p.iterations}${p.converged ? '' : ' (not converged)'}${p.unused ? ` (unused: ${p.unused})` : ''}`).join(', ')}`);
  if (options.trainedModelPath) {
    writeFileSync(options.trainedModelPath, JSON.stringify(trained.model, null, 2) + '\n');
    writeFileSync(options.trainedModelPath.replace(/\.json$/, '') + '.report.json', JSON.stringify(r, null, 2) + '\n');
  }
  return trained.model;
}

/** A named noise profile with some rates changed. */
export function profileOf(name = 'tuned', noise: Record<string, number> = {}): NoiseProfile {
  const base = NAMED_NOISE_PROFILES[name];
  if (!base) throw new Error(`--profile must be one of ${Object.keys(NAMED_NOISE_PROFILES).join(', ')}; got ${name}`);
  return noiseProfile({ ...base, ...noise });
}

/** A registry person as the matcher's raw record. */
function registryRecord(p: Person): RawRecord {
  return {
    id: p.citizenId,
    citizenId: p.citizenId,
    fullName: p.fullName,
    birthDate: p.birthDate ?? String(p.birthYear),
    sex: p.sex,
    phone: p.phone,
    provinceCode: p.addresses.find((a) => a.kind === 'PERMANENT')?.provinceCode ?? null,
    oldId: p.oldId,
  };
}

function rawOf(r: NoisyReference): RawRecord {
  return { id: r.recordId, fullName: r.fullName, birthDate: r.birthDate, sex: r.sex, phone: r.phone, citizenId: r.citizenId, oldId: r.oldId };
}

// A well-mixed non-negative integer of (seed, i): which person a record is of.
function mixHash(seed: number, i: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(i + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h >>> 0;
}

const pct = (x: number) => x.toFixed(4);

export async function runIdentityBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      people: { type: 'string', default: '1000000' },
      records: { type: 'string', default: '200000' },
      seed: { type: 'string', default: '2021' },
      batch: { type: 'string', default: '1000' },
      workers: { type: 'string', default: '0' },
      model: { type: 'string' },
      profile: { type: 'string', default: 'tuned' },
      noise: { type: 'string', default: '' },
      decisions: { type: 'string' },
      'train-records': { type: 'string' },
      'train-spec': { type: 'string' },
      'trained-model': { type: 'string' },
      febrl: { type: 'boolean', default: false },
      'febrl-model': { type: 'string' },
    },
  });
  if (values.febrl) return runFebrl(values['febrl-model']);
  const noise = Object.fromEntries(values.noise.split(',').filter(Boolean).map((kv) => {
    const [k, v] = kv.split('=');
    return [k!, Number(v)];
  }));
  console.log(machineLine());
  console.log(`Noise profile ${values.profile}: ${JSON.stringify(profileOf(values.profile, noise))}`);
  const r = await measureIdentity({
    people: Number(values.people), records: Number(values.records), seed: Number(values.seed), batch: Number(values.batch), workers: Number(values.workers),
    modelPath: values.model, profile: values.profile, noise, log: console.log, decisionsPath: values.decisions,
    trainRecords: values['train-records'] ? Number(values['train-records']) : undefined, trainSpec: values['train-spec'], trainedModelPath: values['trained-model'],
  });
  console.log(`Records: ${r.records.toLocaleString('en')} (${r.linkable.toLocaleString('en')} of registry persons), batches of ${values.batch}`);
  console.log(`Auto-links: ${r.autoLinks.toLocaleString('en')}, ${r.autoLinks - r.autoCorrect} wrong`);
  console.log(`  precision ${pct(r.precisionAuto)}, recall ${pct(r.recallAuto)}, F1 ${pct(r.f1Auto)}`);
  console.log(`Review: ${r.reviews.toLocaleString('en')} (${(r.reviewShare * 100).toFixed(2)}% of records), the right person among the candidates in ${r.reviewsWithTruth.toLocaleString('en')}`);
  console.log(`  recall of auto-links + review ${pct(r.recallAutoPlusReview)}`);
  console.log(`Unknown: ${r.unknown.toLocaleString('en')}, rejected: ${r.rejected.toLocaleString('en')}`);
  const threads = Number(values.workers) > 0 ? `${values.workers} worker threads` : 'one thread';
  console.log(`Speed: ${Math.round(r.linksPerSecond).toLocaleString('en')} records linked per second (${threads}; normalising, blocking, scoring, deciding); ${Math.round(r.linksPerCpuSecond).toLocaleString('en')} per CPU second`);
  console.log(`Load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`Wrong auto-links by noise: ${JSON.stringify(r.falseLinksByNoise)}`);
  console.log(`Missed (not linked, not in review) by noise: ${JSON.stringify(r.missedByNoise)}`);
}

async function runFebrl(modelPath?: string): Promise<void> {
  console.log(machineLine());
  console.log(`FEBRL deduplication (${FEBRL_DIR}) through the linkage CLI, ${modelPath ? `model ${modelPath}` : `each file under a model trained on it from ${FEBRL_SPEC}`}`);
  for (const dataset of ['dataset1', 'dataset2']) {
    const s = await scoreFebrl(dataset, modelPath ? resolve(modelPath) : { train: FEBRL_SPEC });
    if (!modelPath) console.log(`${dataset}: trained in ${s.trainSeconds.toFixed(1)} s, model ${s.model}`);
    console.log(`${dataset}: ${s.records.toLocaleString('en')} records, ${s.truePairs.toLocaleString('en')} true pairs; linked ${s.linkedPairs.toLocaleString('en')} pairs, ${s.linkedPairs - s.correctPairs} wrong`);
    console.log(`  precision ${s.precision.toFixed(4)}, recall ${s.recall.toFixed(4)}, F1 ${s.f1.toFixed(4)}; recall with the ${s.reviewPairs} review pairs ${s.recallWithReview.toFixed(4)}; ${s.seconds.toFixed(1)} s`);
  }
}
