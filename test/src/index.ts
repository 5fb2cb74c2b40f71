export { freshDatabase } from '@health-hub/subgraph-kit/testing';
