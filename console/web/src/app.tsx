import { useEffect, useMemo, useState } from 'preact/hooks';
import { fetchAreas, fetchSituation, type Area, type Areas, type DailyFigures, type Situation } from './api';
import { Chart } from './chart';
import { formatDay, formatNumber, formatPercent, formatTime, LEVEL_COLOURS, LEVEL_TEXT, TEXT, type Lang, type Text } from './i18n';
import { GRID_COLUMNS, GRID_ROWS, TILES } from './tile-grid';

const NATIONWIDE = '';

/** Sums the figures of the chosen provinces per day, in date order. */
function byDay<T extends { date: string; provinceCode: string }>(rows: T[], province: string, fields: Array<keyof T>): Array<{ date: string } & Record<string, number>> {
  const days = new Map<string, Record<string, number>>();
  for (const row of rows) {
    if (province !== NATIONWIDE && row.provinceCode !== province) continue;
    const day = days.get(row.date) ?? Object.fromEntries(fields.map((f) => [f, 0]));
    for (const f of fields) day[f as string] = (day[f as string] ?? 0) + (Number(row[f]) || 0);
    days.set(row.date, day);
  }
  return [...days].sort(([a], [b]) => a.localeCompare(b)).map(([date, sums]) => ({ date, ...sums }) as { date: string } & Record<string, number>);
}

const DAILY_FIELDS: Array<keyof DailyFigures> = ['newCases', 'communityCases', 'quarantineCases', 'deaths', 'recoveries', 'testsDone', 'dosesGiven'];

function timeSeries(lang: Lang, days: Array<{ date: string } & Record<string, number>>, series: Array<{ field: string; name: string; colour: string; type: 'bar' | 'line'; stack?: string }>) {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: days.map((d) => formatDay(lang, d.date).slice(0, 5)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: series.map((s) => ({ name: s.name, type: s.type, stack: s.stack, itemStyle: { color: s.colour }, lineStyle: { color: s.colour }, data: days.map((d) => d[s.field] ?? 0) })),
  };
}

function Figure({ label, value, detail, testId }: { label: string; value: string; detail?: string; testId: string }) {
  return (
    <div class="figure" data-testid={testId}>
      <div class="figure-label">{label}</div>
      <div class="figure-value">{value}</div>
      {detail ? <div class="figure-detail">{detail}</div> : null}
    </div>
  );
}

function RiskMap({ situation, t, lang, onSelect }: { situation: Situation; t: Text; lang: Lang; onSelect: (code: string) => void }) {
  const names = new Map(situation.provinces.map((p) => [p.code, p.name]));
  const option = useMemo(() => ({
    tooltip: {
      formatter: (p: { data: { code: string; level: keyof typeof t.levels; cases: number; coverage: number | null } }) =>
        `${names.get(p.data.code)}<br/>${t.levels[p.data.level]}<br/>${t.cases7}: ${formatNumber(lang, p.data.cases)}<br/>${t.coverage}: ${formatPercent(lang, p.data.coverage)}`,
    },
    grid: { left: 4, right: 4, top: 4, bottom: 4 },
    xAxis: { type: 'value', min: -0.5, max: GRID_COLUMNS - 0.5, show: false },
    yAxis: { type: 'value', min: -0.5, max: GRID_ROWS - 0.5, inverse: true, show: false },
    series: [{
      type: 'scatter', symbol: 'roundRect', symbolSize: 26,
      label: { show: true, formatter: (p: { data: { code: string } }) => p.data.code, fontSize: 10 },
      data: situation.risk.filter((r) => TILES[r.provinceCode]).map((r) => ({
        name: r.provinceCode, code: r.provinceCode, level: r.level, cases: r.casesLast7Days, coverage: r.vaccinationCoverage,
        value: TILES[r.provinceCode], itemStyle: { color: LEVEL_COLOURS[r.level] }, label: { color: LEVEL_TEXT[r.level] },
      })),
    }],
  }), [situation, lang]);
  const counts = (['LOW', 'MEDIUM', 'HIGH', 'VERY_HIGH'] as const).map((level) => [level, situation.risk.filter((r) => r.level === level).length] as const);
  return (
    <div class="map-wrap">
      <Chart label={`${t.riskMap}: ${counts.map(([level, n]) => `${t.levels[level]} ${n}`).join(', ')}`} option={option} height={GRID_ROWS * 30} onSelect={onSelect} testId="risk-map" />
      <ul class="legend" aria-label={t.level}>
        {counts.map(([level, n]) => (
          <li key={level}><span class="swatch" style={{ background: LEVEL_COLOURS[level] }} aria-hidden="true" />{t.levels[level]}: {n}</li>
        ))}
      </ul>
    </div>
  );
}

function AreaTable({ areas, t, lang, provinceName, onClose }: { areas: Areas; t: Text; lang: Lang; provinceName: string; onClose: () => void }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (code: string) => setOpen((was) => {
    const next = new Set(was);
    if (!next.delete(code)) next.add(code);
    return next;
  });
  const cases = (n: number | null, suppressed?: Area['suppressed']) => (n !== null || !suppressed ? formatNumber(lang, n) : suppressed === 'small' ? t.fewer(areas.smallCountBelow) : t.hidden);
  // Districts with the most cases first: the ranked table stands in for a map at these levels.
  const districts = [...areas.districts].sort((a, b) => (b.casesLast7Days ?? 0) - (a.casesLast7Days ?? 0) || a.code.localeCompare(b.code));
  return (
    <section class="panel" aria-labelledby="areas-title" data-testid="areas">
      <div class="panel-head">
        <h2 id="areas-title">{provinceName}: {t.districts} / {t.wards}</h2>
        <button type="button" onClick={onClose}>{t.close}</button>
      </div>
      <p class="note">{t.suppressedRule(areas.smallCountBelow)}</p>
      <div class="scroll-x">
      <table>
        <caption class="visually-hidden">{provinceName}</caption>
        <thead><tr><th scope="col">{t.district} / {t.ward}</th><th scope="col">{t.level}</th><th scope="col">{t.cases7}</th><th scope="col">{t.residents}</th><th scope="col">{t.coverage}</th></tr></thead>
        <tbody>
          {districts.map((d) => [
            <tr key={d.code} class="district-row" data-district={d.code}>
              <th scope="row">
                <button type="button" class="expander" aria-expanded={open.has(d.code)} onClick={() => toggle(d.code)}>
                  <span aria-hidden="true">{open.has(d.code) ? '▾' : '▸'}</span> {t.district} {d.code} ({d.wards.length} {t.wards.toLowerCase()})
                </button>
              </th>
              <td><Level level={d.level} t={t} /></td><td>{cases(d.casesLast7Days, d.suppressed)}</td><td>{formatNumber(lang, d.residents)}</td><td>{formatPercent(lang, d.vaccinationCoverage)}</td>
            </tr>,
            ...(open.has(d.code) ? d.wards.map((w) => (
              <tr key={w.code} class="ward-row" data-ward={w.code}>
                <th scope="row" class="ward-code">{t.ward} {w.code}</th><td><Level level={w.level} t={t} /></td><td>{cases(w.casesLast7Days, w.suppressed)}</td><td>{formatNumber(lang, w.residents)}</td><td>{formatPercent(lang, w.vaccinationCoverage)}</td>
              </tr>
            )) : []),
          ])}
        </tbody>
      </table>
      </div>
    </section>
  );
}

function Level({ level, t }: { level: keyof Text['levels'] | null; t: Text }) {
  if (level === null) return <span>{t.hidden}</span>;
  return <span class="badge" style={{ background: LEVEL_COLOURS[level], color: LEVEL_TEXT[level] }}>{t.levels[level]}</span>;
}

/** The public epidemic page: the day's figures, charts over time, the risk map and the report status. */
export function App() {
  const initial = new URLSearchParams(location.search);
  const [lang, setLang] = useState<Lang>(initial.get('lang') === 'en' ? 'en' : 'vi');
  const [date, setDate] = useState<string | undefined>(initial.get('date') ?? undefined);
  const [province, setProvince] = useState<string>(initial.get('province') ?? NATIONWIDE);
  const [situation, setSituation] = useState<Situation | null>(null);
  const [areas, setAreas] = useState<Areas | null>(null);
  const [error, setError] = useState<string | null>(null);
  const t = TEXT[lang];

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = `${t.title} — ${TEXT[lang === 'vi' ? 'en' : 'vi'].title}`;
  }, [lang]);
  useEffect(() => {
    setError(null);
    fetchSituation(date).then((s) => {
      setSituation(s);
      if (!date) setDate(s.date);
    }, (e: Error) => setError(e.message));
  }, [date]);
  useEffect(() => {
    setAreas(null);
    if (province === NATIONWIDE || !situation) return;
    fetchAreas(province, situation.date).then(setAreas, (e: Error) => setError(e.message));
  }, [province, situation]);

  const names = new Map((situation?.provinces ?? []).map((p) => [p.code, p.name]));
  const days = useMemo(() => (situation ? byDay(situation.daily, province, DAILY_FIELDS) : []), [situation, province]);
  const doses = useMemo(() => (situation ? byDay(situation.doses, province, ['doses', 'firstDoses', 'primarySeriesCompleted', 'boosterDoses']) : []), [situation, province]);
  const today = days.find((d) => d.date === situation?.date);
  const risk = situation?.risk.filter((r) => province === NATIONWIDE || r.provinceCode === province) ?? [];
  const residents = risk.reduce((n, r) => n + r.residents, 0);
  const coverage = residents > 0 ? Math.min(1, risk.reduce((n, r) => n + r.fullyVaccinated, 0) / residents) : null;
  const reports = situation?.reports ?? [];
  const statusCount = (status: keyof Text['statuses']) => reports.filter((r) => r.status === status).length;
  const sum = (field: string) => formatNumber(lang, days.reduce((n, d) => n + (d[field] ?? 0), 0));

  return (
    <>
      <header class="top">
        <div>
          <h1>{t.title}</h1>
          <p class="subtitle">{t.subtitle}</p>
        </div>
        <form class="controls" onSubmit={(e) => e.preventDefault()}>
          <label>{t.day}
            <input type="date" value={date ?? ''} onChange={(e) => setDate((e.target as HTMLInputElement).value || undefined)} />
          </label>
          <label>{t.area}
            <select value={province} onChange={(e) => setProvince((e.target as HTMLSelectElement).value)}>
              <option value={NATIONWIDE}>{t.nationwide}</option>
              {situation?.provinces.map((p) => <option key={p.code} value={p.code}>{p.name}</option>)}
            </select>
          </label>
          <label>{t.language}
            <select value={lang} onChange={(e) => setLang((e.target as HTMLSelectElement).value as Lang)}>
              <option value="vi">Tiếng Việt</option>
              <option value="en">English</option>
            </select>
          </label>
        </form>
      </header>
      <main>
        {error ? <p role="alert" class="error">{t.failed}: {error}</p> : null}
        {!situation ? <p aria-live="polite">{t.loading}</p> : (
          <>
            <h2 class="day-heading">{province === NATIONWIDE ? t.nationwide : names.get(province)} — {formatDay(lang, situation.date)}</h2>
            <section class="figures" aria-label={formatDay(lang, situation.date)}>
              <Figure testId="figure-new-cases" label={t.newCases} value={formatNumber(lang, today?.newCases ?? 0)} detail={`${t.community}: ${formatNumber(lang, today?.communityCases ?? 0)} · ${t.inQuarantine}: ${formatNumber(lang, today?.quarantineCases ?? 0)}`} />
              <Figure testId="figure-deaths" label={t.deaths} value={formatNumber(lang, today?.deaths ?? 0)} />
              <Figure testId="figure-recoveries" label={t.recoveries} value={formatNumber(lang, today?.recoveries ?? 0)} />
              <Figure testId="figure-tests" label={t.tests} value={formatNumber(lang, today?.testsDone ?? 0)} />
              <Figure testId="figure-doses" label={t.doses} value={formatNumber(lang, today?.dosesGiven ?? 0)} />
              <Figure testId="figure-coverage" label={t.coverage} value={formatPercent(lang, coverage)} />
            </section>
            <div class="charts">
              <figure>
                <figcaption>{t.casesOverTime}</figcaption>
                <Chart testId="chart-cases" label={t.chartSummary(t.casesOverTime, sum('newCases'))} option={timeSeries(lang, days, [
                  { field: 'communityCases', name: t.community, colour: '#c62828', type: 'bar', stack: 'cases' },
                  { field: 'quarantineCases', name: t.inQuarantine, colour: '#1565c0', type: 'bar', stack: 'cases' },
                ])} />
              </figure>
              <figure>
                <figcaption>{t.outcomesOverTime}</figcaption>
                <Chart testId="chart-outcomes" label={t.chartSummary(t.outcomesOverTime, sum('recoveries'))} option={timeSeries(lang, days, [
                  { field: 'recoveries', name: t.recoveries, colour: '#2e7d32', type: 'line' },
                  { field: 'deaths', name: t.deaths, colour: '#424242', type: 'line' },
                ])} />
              </figure>
              <figure>
                <figcaption>{t.testsOverTime}</figcaption>
                <Chart testId="chart-tests" label={t.chartSummary(t.testsOverTime, sum('testsDone'))} option={timeSeries(lang, days, [
                  { field: 'testsDone', name: t.tests, colour: '#6a1b9a', type: 'bar' },
                ])} />
              </figure>
              <figure>
                <figcaption>{t.dosesOverTime}</figcaption>
                <Chart testId="chart-doses" label={t.chartSummary(t.dosesOverTime, formatNumber(lang, doses.reduce((n, d) => n + (d.doses ?? 0), 0)))} option={timeSeries(lang, doses, [
                  { field: 'firstDoses', name: t.firstDoses, colour: '#0277bd', type: 'bar', stack: 'doses' },
                  { field: 'primarySeriesCompleted', name: t.primarySeriesCompleted, colour: '#00838f', type: 'bar', stack: 'doses' },
                  { field: 'boosterDoses', name: t.boosterDoses, colour: '#558b2f', type: 'bar', stack: 'doses' },
                ])} />
              </figure>
            </div>
            <div class="two-columns">
              <section class="panel" aria-labelledby="map-title">
                <h2 id="map-title">{t.riskMap}</h2>
                <p class="note">{t.riskMapNote}</p>
                <RiskMap situation={situation} t={t} lang={lang} onSelect={setProvince} />
              </section>
              <section class="panel" aria-labelledby="reports-title" data-testid="reports">
                <h2 id="reports-title">{t.reportStatus}</h2>
                <p class="note">{t.reportDeadline}. {(['ON_TIME', 'LATE', 'MISSING', 'DUE'] as const).filter((s) => statusCount(s) > 0).map((s) => `${t.statuses[s]}: ${t.ofProvinces(statusCount(s), reports.length)}`).join(' · ')}</p>
                <div class="scroll" tabIndex={0} aria-label={t.reportStatus}>
                  <table>
                    <thead><tr><th scope="col">{t.province}</th><th scope="col">{t.level}</th><th scope="col">{t.status}</th><th scope="col">{t.submittedAt}</th></tr></thead>
                    <tbody>
                      {reports.map((r) => {
                        const level = situation.risk.find((x) => x.provinceCode === r.provinceCode)?.level;
                        return (
                          <tr key={r.provinceCode} data-province={r.provinceCode} data-status={r.status}>
                            <th scope="row"><button type="button" class="link" onClick={() => setProvince(r.provinceCode)}>{names.get(r.provinceCode)}</button></th>
                            <td>{level ? <Level level={level} t={t} /> : '—'}</td>
                            <td><span class={`status status-${r.status.toLowerCase()}`}>{t.statuses[r.status]}</span></td>
                            <td>{formatTime(lang, r.submittedAt)}</td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
              </section>
            </div>
            {areas ? <AreaTable areas={areas} t={t} lang={lang} provinceName={names.get(areas.provinceCode) ?? areas.provinceCode} onClose={() => setProvince(NATIONWIDE)} /> : null}
          </>
        )}
      </main>
      <footer class="bottom"><p>{t.footer}</p></footer>
    </>
  );
}
