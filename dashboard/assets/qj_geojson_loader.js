/* dash-leaflet 1.1.3's GeoJSON ignores every property change that arrives while it is still loading its url (its
   update hook returns while "busy", and the answer is drawn with the props of the moment the load began). A filter,
   a live refetch or a hideout (classes, a basemap's datum) chosen during a slow answer was lost: the map kept drawing
   the old layer while the counts beside it said the new one.

   Here the GeoJSON loads its url itself and hands the answer on as ``data`` (which the library takes at once, so it
   is never busy for long): the newest url wins, an answer that comes after a newer request is dropped, and until
   the new answer is in, the previous one stays drawn. Other formats (geobuf, flatgeobuf) are left to the library. */
(function () {
  var EMPTY = {type: "FeatureCollection", features: []};

  function install() {
    var lib = window.dash_leaflet, React = window.React;
    if (!lib || !lib.GeoJSON || !React) { return false; }
    if (lib.GeoJSON.__qjLoadsItsUrl) { return true; }
    var Original = lib.GeoJSON;

    var Loading = function (props) {
      var url = props.url, own = url && !props.data && (!props.format || props.format === "geojson");
      var held = React.useState(null), loaded = held[0], setLoaded = held[1];
      React.useEffect(function () {
        if (!own) { return undefined; }
        var current = true;
        window.fetch(url, {credentials: "same-origin"})
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (geojson) { if (current && geojson) { setLoaded(geojson); } })
          .catch(function () { /* offline or refused: the layer keeps what it drew */ });
        return function () { current = false; };
      }, [url, own]);
      if (!own) { return React.createElement(Original, props); }
      var passed = Object.assign({}, props, {data: loaded || EMPTY});
      delete passed.url;
      return React.createElement(Original, passed);
    };
    Object.keys(Original).forEach(function (k) { Loading[k] = Original[k]; });  // propTypes, defaultProps, dash flags
    ["propTypes", "defaultProps", "displayName"].forEach(function (k) {
      if (Original[k] !== undefined) { Loading[k] = Original[k]; }
    });
    Loading.__qjLoadsItsUrl = true;
    /* The library's exports are a frozen module object: the namespace that dash-renderer looks components up in
       (window.dash_leaflet) is replaced by a copy with this GeoJSON. */
    var copy = {};
    Object.keys(lib).forEach(function (k) { copy[k] = lib[k]; });
    copy.GeoJSON = Loading;
    window.dash_leaflet = copy;
    return window.dash_leaflet.GeoJSON === Loading;
  }

  if (!install()) {
    var tries = 0, timer = window.setInterval(function () {
      if (install() || ++tries > 200) { window.clearInterval(timer); }
    }, 10);
  }
})();
