// A GPU panel over the batcher, which has no GPU metrics.
import { batcherMetrics, dashboard, gpuUtilization } from 'inferboard';

export default dashboard({ uid: 'g', title: 'G', profile: batcherMetrics, panels: [gpuUtilization({ profile: batcherMetrics })] });
