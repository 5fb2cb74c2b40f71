import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { DeployErrors, type Problem } from './errors';

/**
 * Lints a Containerfile offline: the syntax and instruction checks of `dockerfile-utils` (the
 * Dockerfile language server's validator), then rules in the spirit of hadolint (named by its
 * codes where they are the same), since hadolint is on neither npm nor Debian.
 */
export function lintContainerfile(text: string, where: string): Problem[] {
  const problems: Problem[] = [];
  const problem = (line: number | null, message: string) =>
    problems.push({ code: DeployErrors.CONTAINERFILE, where: line === null ? where : `${where}:${line + 1}`, message });

  for (const d of validate(text)) problem(d.range.start.line, typeof d.message === 'string' ? d.message : d.message.value);

  const file = DockerfileParser.parse(text);
  const lineOf = (i: Instruction) => i.getRange().start.line;
  const argDefaults = new Map(file.getInitialARGs().map((a) => [a.getProperty()?.getName() ?? '', a.getProperty()?.getValue() ?? '']));
  const froms = file.getFROMs();
  const stageNames = new Set(froms.map((f) => f.getBuildStage()).filter((s): s is string => !!s));

  if (froms.length < 2) problem(null, 'build in one stage and run in another (multi-stage)');
  for (const from of froms) {
    // An image named by an ARG is judged by the ARG's default.
    const image = (from.getImage() ?? '').replace(/^\$\{?(\w+)\}?$/, (_, name: string) => argDefaults.get(name) ?? '');
    if (stageNames.has(image)) continue;
    if (!image.includes(':') && !image.includes('@')) problem(lineOf(from), `DL3006 tag the base image (${image || 'an ARG without a default'})`);
    else if (/:latest$/.test(image)) problem(lineOf(from), `DL3007 name a version, not latest (${image})`);
  }

  const finalStageStart = froms.length ? lineOf(froms[froms.length - 1]!) : 0;
  const instructions = file.getInstructions();
  const users = instructions.filter((i) => i.getKeyword() === 'USER' && lineOf(i) > finalStageStart);
  const lastUser = users[users.length - 1]?.getArgumentsContent()?.split(':')[0];
  if (!lastUser) problem(null, 'DL3002 the final stage must switch to a non-root USER');
  else if (lastUser === 'root' || lastUser === '0') problem(lineOf(users[users.length - 1]!), 'DL3002 the final USER must not be root');

  for (const i of instructions) {
    const keyword = i.getKeyword();
    const args = i.getArgumentsContent() ?? '';
    if ((keyword === 'ENTRYPOINT' || keyword === 'CMD') && !args.trim().startsWith('[')) problem(lineOf(i), `DL3025 use the JSON form of ${keyword} so signals reach node`);
    if (keyword === 'ADD' && !/^(--\S+\s+)*https?:/.test(args)) problem(lineOf(i), 'DL3020 use COPY for files and folders');
    if (keyword === 'RUN' && /apt-get\s+install/.test(args) && !args.includes('--no-install-recommends')) problem(lineOf(i), 'DL3015 apt-get install --no-install-recommends');
    if (keyword === 'RUN' && /npm\s+(install|i)(\s|$)/.test(args)) problem(lineOf(i), 'install by the lock file: npm ci');
  }
  return problems;
}
