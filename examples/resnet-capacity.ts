// A custom dashboard composed from the panel builders: one model, per-instance latency,
// P99 added, and an SDK option (a fixed colour) set on a returned builder.
import { FieldColorBuilder, FieldColorModeId } from '@grafana/grafana-foundation-sdk/dashboard';
import { batchSize, dashboard, gpuMemory, gpuUtilization, latency, requestRate } from 'inferboard';

const resnet = { filters: [{ label: 'model', value: 'resnet50_trt' }] };

export default dashboard({
  uid: 'resnet50-capacity',
  title: 'ResNet-50 capacity',
  folder: 'Inference',
  tags: ['inferboard', 'triton', 'capacity'],
  time: { from: 'now-6h', to: 'now' },
  refresh: '1m',
  rows: [
    {
      title: 'Load',
      panels: [
        requestRate(resnet),
        batchSize({ ...resnet, groupBy: ['model', 'instance'] }).colorScheme(
          new FieldColorBuilder().mode(FieldColorModeId.Fixed).fixedColor('blue'),
        ),
      ],
    },
    {
      title: 'Latency per instance',
      panels: [latency({ ...resnet, groupBy: ['instance'], quantiles: [0.5, 0.95, 0.99], width: 24 })],
    },
    {
      title: 'GPUs',
      collapsed: true,
      panels: [gpuUtilization({ groupBy: ['instance', 'gpu'], width: 12 }), gpuMemory({ measure: 'bytes', width: 12 })],
    },
  ],
});
