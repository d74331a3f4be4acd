/* The tables, palettes and constants of the Python engine, so both read the same numbers.
 *
 * `__ARTGEN_DATA__` is the one mark the build leaves for Python: at mint time
 * `artgen.inscription.build.engine_js()` replaces it with `engine_data()` as JSON (palettes,
 * life-cycle tables, layout and animation constants, the version). Left as an unknown global
 * name, no minifier can fold, rename or drop it.
 */

/* global __ARTGEN_DATA__ */
export var DATA = __ARTGEN_DATA__;
export var K = DATA.constants;
