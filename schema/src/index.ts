export { PROVINCES, provinceByCode, type Province } from './provinces';
export { scalars, citizenIdProblem, BAD_SCALAR_CODE } from './scalars';
export { SUBGRAPH_NAMES, subgraphSdl, subgraphTypeDefs, readSupergraphSdl, SUPERGRAPH_PATH, type SubgraphName } from './sdl';
export { DEFAULT_SUBGRAPH_PORTS } from './compose';
