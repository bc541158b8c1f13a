// Two objectives with one name would write the same recorded series.
import { serviceLevelObjective, sloRules } from 'inferboard';

const availability = serviceLevelObjective({ name: 'availability', objective: 99.9, indicator: { kind: 'availability' } });

export default sloRules([availability, { ...availability, target: '0.99', errorBudget: '0.01' }]);
