// An SLO dashboard drawing a burn-rate window that sloRules() does not record (it records 5m, 30m, 1h, 2h, 6h, 1d, 3d, 30d).
import { burnRate, dashboard, serviceLevelObjective, sloRules } from 'inferboard';

const availability = serviceLevelObjective({ name: 'availability', objective: 99.9, indicator: { kind: 'availability' } });

export default [
  dashboard({ uid: 'slo-window', title: 'SLO window', panels: [burnRate(availability, { windows: ['1h', '12h'] })] }),
  sloRules([availability]),
];
