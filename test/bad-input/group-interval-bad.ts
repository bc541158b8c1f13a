// A rule group whose interval is not a duration.
export default {
  name: 'group-interval-bad',
  interval: 'every minute',
  rules: [{ record: 'model:nv_inference_request_success:rate5m', expr: 'sum by (model) (rate(nv_inference_request_success[5m]))' }],
};
