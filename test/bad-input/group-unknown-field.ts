// A rule group with a field the build would drop silently.
export default {
  name: 'group-unknown-field',
  evaluation_interval: '1m',
  rules: [{ record: 'model:nv_inference_request_success:rate5m', expr: 'sum by (model) (rate(nv_inference_request_success[5m]))' }],
};
