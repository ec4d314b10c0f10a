"""The dashboard benchmark's apps and how its numbers reach the table."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from benchmarks.bench import dashboard_medians
from benchmarks.bench_dashboard import BARE_APP, CONTROL_APP


def test_control_app_has_the_dashboards_kinds_of_widgets_and_one_chart():
    at = AppTest.from_string(CONTROL_APP, default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    assert len(at.get("plotly_chart")) == 1
    assert at.sidebar.selectbox(key="s").value == "One series"
    assert at.sidebar.select_slider(key="r").value == (60, 67)
    assert at.sidebar.multiselect(key="k").value == ["adopted", "draft"]
    assert at.radio(key="m").value == "Mentions"
    assert len(at.get("download_button")) == 1


def test_bare_app_is_one_chart_and_nothing_else():
    at = AppTest.from_string(BARE_APP, default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    assert len(at.get("plotly_chart")) == 1
    assert not at.sidebar.children


def test_dashboard_medians_ratios_against_the_same_runs_bare_app():
    result = {"browser": {"themes_first_chart_s": [3.0, 2.4, 2.6], "bare_first_chart_s": [2.0, 2.2, 1.9],
                          "control_first_chart_s": [2.5, 2.3, 2.1]},
              "reruns": {"themes": {"cold_s": 0.3, "cached_s": 0.1}, "lineage": {"cold_s": 0.2, "cached_s": 0.6,
                                                                                 "series_new_s": 0.4}}}
    out = dashboard_medians(result)
    assert out["first_chart_s"] == 2.6 and out["bare_chart_s"] == 2.0
    assert out["first_chart_ratio"] == 1.3
    assert out["control_chart_s"] == 2.3 and out["control_ratio"] == 2.3 / 2.0
    assert out["dashboard_rerun_s"] == 0.6


def test_dashboard_medians_without_a_control_run_has_no_control_rows():
    out = dashboard_medians({"browser": {"themes_first_chart_s": [2.0], "bare_first_chart_s": [2.0]}})
    assert out["first_chart_ratio"] == 1.0 and "control_ratio" not in out
