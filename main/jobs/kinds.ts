/**
 * Every kind of job a worker can run. Job functions live with their domain, each domain's kinds in
 * its `jobs.ts`, named '<domain>/<verb>'; this map of loaders is the only place that names them, so
 * the worker bundle contains exactly these. A job thread loads a domain's kinds when a job of it
 * comes, or earlier when told which to expect (the CLI knows from the command's name, ./spare.ts):
 * compiling every domain's jobs took the job thread ~0.3 s before its first job could start.
 */
import type { JobFn, JobKinds } from './types';

const loaders = {
  demo: async () => (await import('../services/demo/jobs')).demoJobKinds,
  import: async () => (await import('../services/import/jobs')).importJobKinds,
  segments: async () => (await import('../services/segments/jobs')).segmentsJobKinds,
  value: async () => (await import('../services/value/jobs')).valueJobKinds,
  text: async () => (await import('../services/text/jobs')).textJobKinds,
  quality: async () => (await import('../services/quality/jobs')).qualityJobKinds,
  customers: async () => (await import('../services/customers/jobs')).customersJobKinds,
  privacy: async () => (await import('../services/privacy/jobs')).privacyJobKinds,
  uplift: async () => (await import('../services/uplift/jobs')).upliftJobKinds,
  columns: async () => (await import('../services/columns/jobs')).columnsJobKinds,
} satisfies Record<string, () => Promise<Partial<JobKinds>>>;

/** A domain that has jobs: the part of its job kinds' names before the '/'. */
export type JobDomain = keyof typeof loaders;
export const JOB_DOMAINS = Object.keys(loaders) as JobDomain[];

const loaded = new Map<string, Promise<Partial<JobKinds>>>();

/** A domain's job kinds, loaded once. A kind named for another domain throws instead of being run from the wrong place. */
export function loadJobDomain(domain: string): Promise<Partial<JobKinds>> {
  let kinds = loaded.get(domain);
  if (!kinds) {
    const load = Object.hasOwn(loaders, domain) ? loaders[domain as JobDomain] : null;
    kinds = load
      ? load().then((k: Partial<JobKinds>) => {
          for (const kind of Object.keys(k)) if (!kind.startsWith(`${domain}/`)) throw new Error(`Job kind ${kind} is declared by the ${domain} domain.`);
          return k;
        })
      : Promise.resolve({});
    loaded.set(domain, kinds);
  }
  return kinds;
}

/** The function of a job kind ('<domain>/<verb>'), its domain loaded first; undefined for no such kind. */
export async function jobFn(kind: string): Promise<JobFn | undefined> {
  const kinds = (await loadJobDomain(kind.split('/')[0]!)) as Record<string, JobFn | undefined>;
  return Object.hasOwn(kinds, kind) ? kinds[kind] : undefined;
}

/** Every domain's job kinds together (a test's view of all of them). */
export async function loadAllJobKinds(): Promise<JobKinds> {
  return Object.assign({}, ...(await Promise.all(JOB_DOMAINS.map(loadJobDomain)))) as JobKinds;
}
