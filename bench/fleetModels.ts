/** The benchmark fleet's models: 1,000 (BENCH_FLEET_SIZE overrides), shared by the fleet and its floor. */
export const fleetSize = Number(process.env.BENCH_FLEET_SIZE ?? 1000);

export const models = Array.from({ length: fleetSize }, (_, index) => `model-${String(index).padStart(4, '0')}`);
