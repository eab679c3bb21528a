/* dash-leaflet 1.1.3's GeoJSON ignores every property change that arrives while it is still loading its url (its
   update hook returns while "busy", and the answer is drawn with the props of the moment the load began). A filter,
   a live refetch or a basemap's hideout chosen during a slow answer was lost: the map kept drawing the old layer
   while the counts beside it said the new one. Here each GeoJSON is keyed by its url and hideout, so such a change
   mounts a fresh layer that loads and draws what was asked (the old one is removed from the map; its late answer
   lands on a layer no longer shown). Changes of ``data`` need no key: they load at once. */
(function () {
  function keyOf(props) {
    var hideout = props.hideout === undefined ? "" : JSON.stringify(props.hideout);
    return (props.url || "") + "\u0001" + hideout;
  }
  function install() {
    var lib = window.dash_leaflet, React = window.React;
    if (!lib || !lib.GeoJSON || !React) { return false; }
    if (lib.GeoJSON.__qjKeyed) { return true; }
    var Original = lib.GeoJSON;
    var Keyed = function (props) {
      return React.createElement(Original, Object.assign({}, props, {key: keyOf(props)}));
    };
    Object.keys(Original).forEach(function (k) { Keyed[k] = Original[k]; });  // propTypes, defaultProps, dash flags
    ["propTypes", "defaultProps", "displayName"].forEach(function (k) {
      if (Original[k] !== undefined) { Keyed[k] = Original[k]; }
    });
    Keyed.__qjKeyed = true;
    /* The library's exports are a frozen module object: the namespace that dash-renderer looks components up in
       (window.dash_leaflet) is replaced by a copy with the keyed GeoJSON. */
    var copy = {};
    Object.keys(lib).forEach(function (k) { copy[k] = lib[k]; });
    copy.GeoJSON = Keyed;
    window.dash_leaflet = copy;
    return window.dash_leaflet.GeoJSON === Keyed;
  }
  if (!install()) {
    var tries = 0, timer = window.setInterval(function () {
      if (install() || ++tries > 200) { window.clearInterval(timer); }
    }, 10);
  }
})();
