export { createCounterFactory, type CounterFactoryOptions } from './counter-factory.js';
export { createConnectionGate, type ConnectionGateOptions } from './connection-gate.js';
