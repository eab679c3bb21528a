'use strict';
// The plotly.js traces the app draws (dashboard/ and services/ build go.Bar, go.Scatter, go.Indicator and
// go.Treemap figures). tests/dashboard/test_plotly_bundle.py fails if the code uses a trace not listed here.
var Plotly = require('plotly.js/lib/core');  // core carries scatter

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/indicator'),
    require('plotly.js/lib/treemap'),
]);

module.exports = Plotly;
