export { PROVINCES, provinceByCode, type Province } from './provinces';
export { scalars, citizenIdProblem, BAD_SCALAR_CODE } from './scalars';
export { SUBGRAPH_NAMES, subgraphSdl, subgraphTypeDefs, readSupergraphSdl, SUPERGRAPH_PATH, type SubgraphName } from './sdl';
export { DEFAULT_SUBGRAPH_PORTS } from './compose';
export {
  SCOPES, PURPOSES, POLICIES, ROLES, ROLE_NAMES, PERSONAL_SCOPES, readAccessRules, readMaskRules, maskValue, decide, holdsPolicy, isPersonalData,
  type Scope, type Purpose, type Policy, type Role, type Caller, type AccessRule, type AccessRules, type AccessDecision, type MaskRule,
} from './access';
