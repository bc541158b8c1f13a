// An objective of 100 % leaves no error budget: every burn rate would divide by zero.
import { serviceLevelObjective, sloRules } from 'inferboard';

export default sloRules([serviceLevelObjective({ name: 'perfect', objective: 100, indicator: { kind: 'availability' } })]);
