import { z } from 'zod';
import type { LabFhirRecord } from './resources';

/**
 * A searchset Bundle, checked only as far as paging needs: each resource is validated later,
 * one by one, so one bad Observation does not cost the page.
 */
export const searchBundleSchema = z.object({
  resourceType: z.literal('Bundle'),
  type: z.literal('searchset'),
  link: z.array(z.object({ relation: z.string(), url: z.string() }).loose()).default([]),
  entry: z
    .array(
      z
        .object({
          fullUrl: z.string().optional(),
          resource: z.object({ resourceType: z.string(), id: z.string().optional() }).loose(),
          search: z.object({ mode: z.string().optional() }).loose().optional(),
        })
        .loose(),
    )
    .default([]),
});

export type SearchBundle = z.infer<typeof searchBundleSchema>;

type Resource = SearchBundle['entry'][number]['resource'];

/** A reference's target in the Bundle: by its relative form (`Patient/pt-1`) or by the entry's fullUrl. */
function resolver(bundle: SearchBundle): (reference: unknown) => Resource | null {
  const byRef = new Map<string, Resource>();
  for (const e of bundle.entry) {
    if (e.resource.id !== undefined) byRef.set(`${e.resource.resourceType}/${e.resource.id}`, e.resource);
    if (e.fullUrl !== undefined) byRef.set(e.fullUrl, e.resource);
  }
  return (reference) => {
    if (typeof reference !== 'string') return null;
    return byRef.get(reference) ?? byRef.get(reference.replace(/^.*\/([^/]+\/[^/]+)$/, '$1')) ?? null;
  };
}

const referenceOf = (value: unknown) => (value as { reference?: unknown } | undefined)?.reference;

/**
 * The lab results of a Bundle: each matched Observation with the Patient and Specimen it
 * references, as received. An entry without a search mode counts as a match if it is an Observation.
 */
export function labResultsOf(bundle: SearchBundle): LabFhirRecord[] {
  const resolve = resolver(bundle);
  return bundle.entry
    .filter((e) => e.resource.resourceType === 'Observation' && (e.search?.mode ?? 'match') === 'match')
    .map(({ resource: observation }) => ({
      observation,
      patient: resolve(referenceOf(observation.subject)),
      specimen: resolve(referenceOf(observation.specimen)),
    }));
}

/** The URL of the Bundle's `next` link, if any. */
export function nextLinkOf(bundle: SearchBundle): string | undefined {
  return bundle.link.find((l) => l.relation === 'next')?.url;
}
