import { useEffect, useMemo, useState } from 'preact/hooks';
import type { RiskLevel } from '../../../api';
import { Chart } from '../../../chart';
import { formatDay, formatNumber, formatPercent, formatTime, LEVEL_COLOURS, LEVEL_TEXT, TEXT as PUBLIC_TEXT, type Lang } from '../../../i18n';
import { GRID_COLUMNS, GRID_ROWS, TILES } from '../../../tile-grid';
import type { PageProps } from '../../pages';
import { provinceName, PROVINCES } from '../../provinces';
import './control-map.css';
import { areaRows, dayEnd, localDay, type AreaRisk, type AreaRow, type AreaWorkplaces, type ControlMapLayers, type DistrictRisk } from './layers';
import areasOperation from './operations/ConsoleControlMapAreas.graphql';
import facilityQuarantinesOperation from './operations/ConsoleControlMapFacilityQuarantines.graphql';
import layersOperation from './operations/ConsoleControlMapLayers.graphql';
import provincesOperation from './operations/ConsoleControlMapProvinces.graphql';
import wardIsolationsOperation from './operations/ConsoleControlMapWardIsolations.graphql';
import workplacesOperation from './operations/ConsoleControlMapWorkplaces.graphql';
import { LAYERS, TEXT, type LayerName, type Text } from './text';

type ProvinceRisk = { provinceCode: string; level: RiskLevel; casesLast7Days: number; casesPer100k: number | null; vaccinationCoverage: number | null };
type WorkplaceAreas = { districts: Array<{ code: string; workplaces: AreaWorkplaces | null; wards: Array<{ code: string; workplaces: AreaWorkplaces | null }> }> };
/** A list opened from the map: a ward's isolations at home, or a facility's quarantines. */
type ClickThrough = { kind: 'ward'; code: string } | { kind: 'facility'; code: string; name: string };
type ListRow = Record<string, string>;

function Level({ level, lang }: { level: RiskLevel; lang: Lang }) {
  return <span class="badge" style={{ background: LEVEL_COLOURS[level], color: LEVEL_TEXT[level] }}>{PUBLIC_TEXT[lang].levels[level]}</span>;
}

/** The provinces as a tile grid coloured by level; a tile chooses the province. */
function ProvinceGrid({ risks, selected, lang, t, onSelect }: { risks: ProvinceRisk[]; selected: string; lang: Lang; t: Text; onSelect: (code: string) => void }) {
  const option = useMemo(() => ({
    tooltip: { formatter: (p: { data: { code: string; cases: number } }) => `${provinceName(p.data.code)}<br/>${t.cases7}: ${formatNumber(lang, p.data.cases)}` },
    grid: { left: 4, right: 4, top: 4, bottom: 4 },
    xAxis: { type: 'value', min: -0.5, max: GRID_COLUMNS - 0.5, show: false },
    yAxis: { type: 'value', min: -0.5, max: GRID_ROWS - 0.5, inverse: true, show: false },
    series: [{
      type: 'scatter', symbol: 'roundRect', symbolSize: 24,
      label: { show: true, formatter: (p: { data: { code: string } }) => p.data.code, fontSize: 10 },
      data: risks.filter((r) => TILES[r.provinceCode]).map((r) => ({
        name: r.provinceCode, code: r.provinceCode, cases: r.casesLast7Days, value: TILES[r.provinceCode],
        itemStyle: { color: LEVEL_COLOURS[r.level], borderColor: r.provinceCode === selected ? '#0d3b66' : 'transparent', borderWidth: 3 }, label: { color: LEVEL_TEXT[r.level] },
      })),
    }],
  }), [risks, selected, lang]);
  return <Chart label={t.provinceMap} option={option} height={GRID_ROWS * 28} onSelect={onSelect} testId="province-grid" />;
}

/** The districts or wards ranked by cases per 100,000, coloured by level; a bar opens the area. */
function Ranking({ rows, label, onSelect }: { rows: AreaRow[]; label: string; onSelect: (code: string) => void }) {
  const shown = rows.slice(0, 25);
  const option = useMemo(() => ({
    tooltip: { trigger: 'item' },
    grid: { left: 56, right: 16, top: 8, bottom: 24 },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', inverse: true, data: shown.map((r) => r.code) },
    series: [{ type: 'bar', data: shown.map((r) => ({ name: r.code, value: Math.round((r.casesPer100k ?? 0) * 10) / 10, itemStyle: { color: LEVEL_COLOURS[r.level] } })) }],
  }), [rows]);
  return <Chart label={label} option={option} height={Math.max(160, shown.length * 22 + 40)} onSelect={onSelect} testId="area-ranking" />;
}

function AreaTable({ rows, layers, lang, t, kind, onOpen }: { rows: AreaRow[]; layers: ReadonlySet<LayerName>; lang: Lang; t: Text; kind: 'district' | 'ward'; onOpen: (code: string) => void }) {
  const n = (v: number) => formatNumber(lang, v);
  return (
    <div class="scroll-x" tabIndex={0} role="region" aria-label={kind === 'district' ? t.allDistricts : t.wards}>
      <table data-testid={`${kind}-table`}>
        <thead>
          <tr>
            <th scope="col">{kind === 'district' ? t.district : t.ward}</th><th scope="col">{t.level}</th><th scope="col">{t.cases7}</th><th scope="col">{t.per100k}</th><th scope="col">{t.coverage}</th>
            {layers.has('f1Contacts') ? <th scope="col" data-layer="f1Contacts">{t.f1}</th> : null}
            {layers.has('patients') ? <th scope="col" data-layer="patients">{t.patients}</th> : null}
            {layers.has('homeIsolations') ? [<th scope="col" key="t" data-layer="homeIsolations">{t.homeTreatment}</th>, <th scope="col" key="q">{t.homeQuarantine}</th>] : null}
            {layers.has('lockdowns') ? <th scope="col" data-layer="lockdowns">{t.lockdown}</th> : null}
            {layers.has('workplaces') ? <th scope="col" data-layer="workplaces">{t.workplaces}</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.code} data-area={r.code}>
              <th scope="row"><button type="button" class="link" aria-label={t.open(`${kind === 'district' ? t.district : t.ward} ${r.code}`)} onClick={() => onOpen(r.code)}>{r.code}</button></th>
              <td><Level level={r.level} lang={lang} /></td><td>{n(r.casesLast7Days)}</td><td>{r.casesPer100k === null ? '—' : formatNumber(lang, Math.round(r.casesPer100k * 10) / 10)}</td>
              <td>{formatPercent(lang, r.vaccinationCoverage)}</td>
              {layers.has('f1Contacts') ? <td>{n(r.f1)}</td> : null}
              {layers.has('patients') ? <td>{n(r.patients)}</td> : null}
              {layers.has('homeIsolations') ? [<td key="t">{n(r.homeTreatment)}</td>, <td key="q">{n(r.homeQuarantine)}</td>] : null}
              {layers.has('lockdowns') ? <td>{r.lockedWards > 0 ? (kind === 'ward' ? t.inLockdown : `${n(r.lockedWards)} ${t.wards.toLowerCase()}`) : '—'}</td> : null}
              {layers.has('workplaces') ? <td>{r.workplaces ? `${n(r.workplaces.risky)} / ${n(r.workplaces.all)}` : '—'}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A plain table of a point layer or a click-through list. */
function List({ testId, caption, columns, rows, empty }: { testId: string; caption: string; columns: Array<[string, string]>; rows: ListRow[]; empty: string }) {
  return (
    <div class="scroll-x" data-testid={testId} tabIndex={0} role="region" aria-label={caption}>
      <table>
        <caption>{caption}</caption>
        <thead><tr>{columns.map(([, label]) => <th scope="col" key={label}>{label}</th>)}</tr></thead>
        <tbody>
          {rows.length === 0 ? <tr><td colSpan={columns.length}>{empty}</td></tr> : rows.map((row, i) => (
            <tr key={i}>{columns.map(([key]) => <td key={key}>{row[key] as string}</td>)}</tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The epidemic control map: risk levels by province, district and ward, the control layers, and lists behind them. */
export default function ControlMap({ session, lang, run, now }: PageProps) {
  const t = TEXT[lang];
  const own = session.province;
  const [date, setDate] = useState(() => localDay(now()));
  const [province, setProvince] = useState<string | null>(own);
  const [visited, setVisited] = useState<{ from: string; to: string } | null>(null);
  const [layers, setLayers] = useState<ReadonlySet<LayerName>>(new Set(['facilities', 'f1Contacts', 'homeIsolations']));
  const [risks, setRisks] = useState<ProvinceRisk[] | null>(null);
  const [districts, setDistricts] = useState<DistrictRisk[] | null>(null);
  const [map, setMap] = useState<ControlMapLayers | null>(null);
  const [workplaces, setWorkplaces] = useState<Map<string, AreaWorkplaces | null> | null>(null);
  const [district, setDistrict] = useState<string | null>(null);
  const [ward, setWard] = useState<string | null>(null);
  const [list, setList] = useState<ClickThrough | null>(null);
  const [listRows, setListRows] = useState<ListRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fail = (e: Error) => setError(e.message);
  const canReadWorkplaces = session.scopes.includes('workplaces:read');

  useEffect(() => {
    run<{ riskMap: ProvinceRisk[] }>(provincesOperation, { date, ...(own ? { provinceCode: own } : {}) }).then((d) => {
      setRisks(d.riskMap);
      // Open on the province with the most cases of the week, when the partner is not limited to one.
      if (!own) setProvince((was) => was ?? [...d.riskMap].sort((a, b) => b.casesLast7Days - a.casesLast7Days)[0]?.provinceCode ?? null);
    }, fail);
  }, [date]);
  useEffect(() => {
    if (!province) return;
    setDistricts(null);
    setMap(null);
    setWorkplaces(null);
    run<{ riskMap: Array<{ districts: DistrictRisk[] }> }>(areasOperation, { date, provinceCode: province }).then((d) => setDistricts(d.riskMap[0]?.districts ?? []), fail);
    run<{ controlMap: ControlMapLayers }>(layersOperation, { provinceCode: province, date, visitedFrom: visited?.from, visitedTo: visited?.to }).then((d) => setMap(d.controlMap), fail);
  }, [province, date, visited]);
  useEffect(() => {
    if (!province || !canReadWorkplaces || !layers.has('workplaces') || workplaces) return;
    run<{ riskMap: WorkplaceAreas[] }>(workplacesOperation, { date, provinceCode: province }).then((d) => {
      const byCode = new Map<string, AreaWorkplaces | null>();
      for (const dist of d.riskMap[0]?.districts ?? []) {
        byCode.set(dist.code, dist.workplaces);
        for (const w of dist.wards) byCode.set(w.code, w.workplaces);
      }
      setWorkplaces(byCode);
    }, fail);
  }, [province, date, layers, workplaces]);
  useEffect(() => {
    setListRows(null);
    if (!list) return;
    if (list.kind === 'ward') {
      type Item = { isolation: { kind: string; startsAt: string; endsAt: string }; lastReportedAt: string | null; due: boolean; overdue: boolean; alerted: boolean };
      run<{ homeIsolationWorklist: { edges: Array<{ node: Item }> } }>(wardIsolationsOperation, { wardCode: list.code, at: dayEnd(date) }).then((d) => setListRows(d.homeIsolationWorklist.edges.map(({ node: n }) => ({
        kind: t.kinds[n.isolation.kind] ?? n.isolation.kind, startsAt: formatTime(lang, n.isolation.startsAt), endsAt: formatTime(lang, n.isolation.endsAt),
        lastReportedAt: formatTime(lang, n.lastReportedAt), flags: [n.alerted ? t.alerted : '', n.overdue ? t.overdue : n.due ? t.due : ''].filter(Boolean).join(', ') || '—',
      }))), fail);
    } else {
      type Item = { kind: string; startsAt: string; endsAt: string | null; status: string };
      run<{ quarantines: { edges: Array<{ node: Item }> } }>(facilityQuarantinesOperation, { facilityCode: list.code, to: dayEnd(date) }).then((d) => setListRows(d.quarantines.edges.map(({ node: n }) => ({
        kind: t.kinds[n.kind] ?? n.kind, startsAt: formatTime(lang, n.startsAt), endsAt: formatTime(lang, n.endsAt), status: t.statuses[n.status] ?? n.status,
      }))), fail);
    }
  }, [list, date, lang]);

  const wardsOf = useMemo(() => {
    const of = new Map((districts ?? []).map((d) => [d.code, d.wards.map((w) => w.code)]));
    return (code: string) => of.get(code) ?? [code];
  }, [districts]);
  const chosenDistrict = districts?.find((d) => d.code === district) ?? null;
  const levelAreas: AreaRisk[] = chosenDistrict ? chosenDistrict.wards : districts ?? [];
  const rows = useMemo(() => areaRows(levelAreas, map, workplaces, wardsOf), [levelAreas, map, workplaces, wardsOf]);
  const wardRow = ward ? rows.find((r) => r.code === ward) ?? null : null;
  const toggle = (layer: LayerName) => setLayers((was) => {
    const next = new Set(was);
    if (!next.delete(layer)) next.add(layer);
    return next;
  });
  const chooseProvince = (code: string) => {
    if (own && code !== own) return;
    setProvince(code);
    setDistrict(null);
    setWard(null);
    setList(null);
  };
  const openArea = (code: string) => {
    if (chosenDistrict) {
      setWard(code);
      setList({ kind: 'ward', code });
    } else {
      setDistrict(code);
      setWard(null);
      setList(null);
    }
  };
  const n = (v: number) => formatNumber(lang, v);
  const shownLayers = LAYERS.filter((l) => l !== 'workplaces' || canReadWorkplaces);

  return (
    <section class="control-map" data-testid="control-map" data-province={province ?? ''} data-district={district ?? ''} data-ward={ward ?? ''}>
      <h2>{t.heading(province ? provinceName(province) : '—', formatDay(lang, date))}</h2>
      <p class="note">{t.intro}</p>
      <form class="cm-controls" onSubmit={(e) => e.preventDefault()}>
        {own ? null : (
          <label>{t.province}
            <select name="province" value={province ?? ''} onChange={(e) => chooseProvince(e.currentTarget.value)}>
              {PROVINCES.map((p) => <option key={p.code} value={p.code}>{p.name}</option>)}
            </select>
          </label>
        )}
        <label>{t.day}<input type="date" name="date" value={date} onChange={(e) => e.currentTarget.value && setDate(e.currentTarget.value)} /></label>
        <label>{t.visitedFrom}<input type="date" name="visited-from" value={visited?.from ?? ''} onChange={(e) => setVisited({ from: e.currentTarget.value, to: visited?.to ?? date })} /></label>
        <label>{t.visitedTo}<input type="date" name="visited-to" value={visited?.to ?? ''} onChange={(e) => setVisited({ from: visited?.from ?? e.currentTarget.value, to: e.currentTarget.value })} /></label>
      </form>
      <fieldset class="cm-layers" data-testid="layers">
        <legend>{t.layers}</legend>
        {shownLayers.map((l) => (
          <label key={l}><input type="checkbox" name={l} checked={layers.has(l)} onChange={() => toggle(l)} /> {t.layer[l]}</label>
        ))}
      </fieldset>
      {error ? <p role="alert" class="error">{t.failed}: {error}</p> : null}
      <div class="cm-grid">
        <figure class="panel cm-provinces">
          <figcaption>{t.provinceMap}</figcaption>
          {risks ? <ProvinceGrid risks={risks} selected={province ?? ''} lang={lang} t={t} onSelect={chooseProvince} /> : <p role="status">{t.loading}</p>}
          <p class="note">{t.provinceMapNote}</p>
        </figure>
        <div class="panel cm-areas">
          <nav aria-label={t.area} class="cm-crumbs">
            <button type="button" class="link" onClick={() => { setDistrict(null); setWard(null); setList(null); }} disabled={!district}>{t.allDistricts}</button>
            {district ? <span> › {t.district} {district}</span> : null}
            {ward ? <span> › {t.ward} {ward}</span> : null}
          </nav>
          {!districts ? <p role="status">{t.loading}</p> : (
            <>
              <Ranking rows={rows} label={t.ranking(chosenDistrict ? t.wards : t.allDistricts)} onSelect={openArea} />
              <AreaTable rows={rows} layers={layers} lang={lang} t={t} kind={chosenDistrict ? 'ward' : 'district'} onOpen={openArea} />
            </>
          )}
          {wardRow ? (
            <div data-testid="ward-detail" class="cm-ward">
              <h3>{t.wardDetail(wardRow.code)}</h3>
              <p><Level level={wardRow.level} lang={lang} /> {t.cases7}: {n(wardRow.casesLast7Days)} · {t.f1}: {n(wardRow.f1)} · {t.patients}: {n(wardRow.patients)} · {t.homeTreatment}: {n(wardRow.homeTreatment)} · {t.homeQuarantine}: {n(wardRow.homeQuarantine)}{wardRow.lockedWards > 0 ? ` · ${t.inLockdown}` : ''}</p>
            </div>
          ) : null}
        </div>
      </div>
      {map ? (
        <div class="cm-lists">
          {layers.has('f1Contacts') || layers.has('patients') ? (
            <p class="note" data-testid="area-totals">
              {layers.has('f1Contacts') ? `${t.f1}: ${t.total(n(map.f1Contacts.total), n(map.f1Contacts.total - map.f1Contacts.areas.filter((a) => a.kind === 'DISTRICT').reduce((s, a) => s + a.count, 0)))}` : ''}
              {layers.has('f1Contacts') && layers.has('patients') ? ' · ' : ''}
              {layers.has('patients') ? `${t.patients}: ${t.total(n(map.patients.total), n(map.patients.total - map.patients.areas.filter((a) => a.kind === 'DISTRICT').reduce((s, a) => s + a.count, 0)))}` : ''}
            </p>
          ) : null}
          {layers.has('facilities') ? (
            <section class="panel" data-layer-list="facilities">
              <h3>{t.layer.facilities}</h3>
              <p class="note">{t.medicalIsolation(n(map.medicalIsolation))}. {t.choose}.</p>
              <div class="scroll-x" data-testid="facilities" tabIndex={0} role="region" aria-label={t.layer.facilities}>
                <table>
                  <thead><tr><th scope="col">{t.facility}</th><th scope="col">{t.capacity}</th><th scope="col">{t.occupied}</th><th scope="col">{t.occupancy}</th></tr></thead>
                  <tbody>
                    {map.facilities.length === 0 ? <tr><td colSpan={4}>{t.none}</td></tr> : map.facilities.map((f) => (
                      <tr key={f.facility.code} data-facility={f.facility.code}>
                        <th scope="row"><button type="button" class="link" onClick={() => setList({ kind: 'facility', code: f.facility.code, name: f.facility.name })}>{f.facility.name}</button></th>
                        <td>{n(f.facility.capacity)}</td><td>{n(f.occupied)}</td><td>{formatPercent(lang, f.facility.capacity > 0 ? f.occupied / f.facility.capacity : null)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          ) : null}
          {layers.has('checkpoints') ? (
            <section class="panel" data-layer-list="checkpoints">
              <h3>{t.layer.checkpoints}</h3>
              <List testId="checkpoints" caption={t.layer.checkpoints} empty={t.none} columns={[['name', t.checkpoint], ['openedAt', t.openedAt], ['closedAt', t.closedAt]]}
                rows={map.checkpoints.map((c) => ({ name: c.name, openedAt: formatTime(lang, c.openedAt), closedAt: formatTime(lang, c.closedAt) }))} />
            </section>
          ) : null}
          {layers.has('placesVisited') ? (
            <section class="panel" data-layer-list="placesVisited">
              <h3>{t.layer.placesVisited}</h3>
              <List testId="places-visited" caption={t.layer.placesVisited} empty={t.none}
                columns={[['name', t.venue], ['ward', t.ward], ['cases', t.casesAt], ['visits', t.visits], ['first', t.firstVisit], ['last', t.lastVisit]]}
                rows={map.placesVisited.map((p) => ({ name: p.venue.name, ward: p.venue.wardCode ?? '—', cases: n(p.cases), visits: n(p.visits), first: formatTime(lang, p.firstVisitAt), last: formatTime(lang, p.lastVisitAt) }))} />
            </section>
          ) : null}
          {layers.has('lockdowns') ? (
            <section class="panel" data-layer-list="lockdowns">
              <h3>{t.layer.lockdowns}</h3>
              <List testId="lockdowns" caption={t.layer.lockdowns} empty={t.none} columns={[['name', t.lockdownArea], ['wards', t.wards], ['startsAt', t.startsAt], ['endsAt', t.endsAt]]}
                rows={map.lockdownAreas.map((l) => ({ name: l.name, wards: l.wardCodes.join(', '), startsAt: formatTime(lang, l.startsAt), endsAt: formatTime(lang, l.endsAt) }))} />
            </section>
          ) : null}
          {list ? (
            <section class="panel" data-testid="click-through" aria-live="polite">
              <h3>{list.kind === 'ward' ? `${t.wardIsolations} — ${t.wardDetail(list.code)}` : t.facilityQuarantines(list.name)}</h3>
              {!listRows ? <p role="status">{t.loading}</p> : list.kind === 'ward' ? (
                <List testId="ward-isolations" caption={t.wardIsolations} empty={t.none} rows={listRows}
                  columns={[['kind', t.kind], ['startsAt', t.startsAt], ['endsAt', t.endsAt], ['lastReportedAt', t.lastReport], ['flags', t.flags]]} />
              ) : (
                <List testId="facility-quarantines" caption={t.facilityQuarantines(list.name)} empty={t.none} rows={listRows}
                  columns={[['kind', t.kind], ['startsAt', t.startsAt], ['endsAt', t.endsAt], ['status', t.status]]} />
              )}
            </section>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
