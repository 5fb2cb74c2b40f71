/** Codes of the deployment checks; each problem names the file and object it is about. */
export const DeployErrors = {
  /** `kubectl` (which renders Kustomize offline) is not on PATH. */
  NO_KUBECTL: 'HUB_DEPLOY_NO_KUBECTL',
  /** A kustomization did not render (a missing file, a bad patch). */
  RENDER_FAILED: 'HUB_DEPLOY_RENDER_FAILED',
  /** An object of a kind or API version the bundled Kubernetes schemas do not know. */
  UNKNOWN_KIND: 'HUB_DEPLOY_UNKNOWN_KIND',
  /** An object the Kubernetes API schema refuses (wrong type, missing required field). */
  INVALID_MANIFEST: 'HUB_DEPLOY_INVALID_MANIFEST',
  /** An object that is valid Kubernetes but breaks a rule of the hub's deployment (no probes, root). */
  POLICY: 'HUB_DEPLOY_POLICY',
  /** The Containerfile has a syntax error or breaks a lint rule. */
  CONTAINERFILE: 'HUB_DEPLOY_CONTAINERFILE',
  /** The compose file does not follow the Compose Specification or a rule of the hub. */
  COMPOSE: 'HUB_DEPLOY_COMPOSE',
} as const;

export type DeployErrorCode = (typeof DeployErrors)[keyof typeof DeployErrors];

/** One thing a check found wrong: a code, where it is, and what. */
export interface Problem {
  code: DeployErrorCode;
  where: string;
  message: string;
}
