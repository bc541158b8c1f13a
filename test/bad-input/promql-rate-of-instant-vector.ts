// rate() of an instant vector: parses as a call, but Prometheus refuses the argument type.
export default { uid: 'rate-type', title: 'Rate type', schemaVersion: 41, templating: { list: [] }, annotations: { list: [] },
  panels: [{ id: 1, type: 'timeseries', title: 'Requests', gridPos: { x: 0, y: 0, w: 12, h: 8 }, targets: [{ refId: 'A', expr: 'rate(nv_inference_request_success)' }] }] };
