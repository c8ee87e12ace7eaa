#pragma once
// The page and its scripts, compiled in from gateway/dashboard/web/ and Debian's
// /usr/share/javascript/chart.js/chart.min.js (cmake/embed_assets.cmake).

#include <string_view>

namespace edgegw::dashboard::assets {

std::string_view index_html();
std::string_view dashboard_css();
std::string_view dashboard_js();
std::string_view chart_js();  // Chart.js 3.9, MIT: its licence ships in the docs

}  // namespace edgegw::dashboard::assets
