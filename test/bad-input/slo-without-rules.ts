// An SLO dashboard without the sloRules() that record what it reads.
import { serviceLevelObjective, sloDashboard } from 'inferboard';

export default sloDashboard({ objectives: [serviceLevelObjective({ name: 'availability', objective: 99.9, indicator: { kind: 'availability' } })] });
