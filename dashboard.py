"""UN General Assembly resolutions: emerging-issues trend dashboard.

Run:  python -m streamlit run dashboard.py
Corpus folder: $UNRES_CORPUS_DIR (default ./corpus); parse cache: $UNRES_CACHE_DIR (default ./cache).

The URL holds the view (see views/state.py): the page is the path (/themes, /compare, ...;
Overview is /), and the query string the settings that differ from their defaults:
  sessions=63-67      sidebar session range           kind=resolution     document kinds
  themes=a,b          sidebar theme selection         a=<id>  b=<id>      comparison pair
  value=per_1000      Themes measure                  term=<text>         Topic drift term
  status=amended,new  Compare paragraph filter        doc=<id>  q=<text>  Lineage/Reader document, search
e.g. /compare?sessions=63-67&a=A-RES-65-232&b=A-RES-67-189&status=amended
"""
from pathlib import Path

import streamlit as st

from views import PAGES
from views.context import sidebar
from views.exporting import warm_chart_renderer
from views.loading import await_warm_imports, get_corpus, warm_imports
from views.state import begin_run, sync_query_params

HERE = Path(__file__).resolve().parent

# A local file: a ":material/...:" page icon makes every browser fetch the favicon from
# fonts.gstatic.com (the in-page Material icons come from a font bundled with Streamlit).
FAVICON = HERE / "static" / "favicon.png"

st.set_page_config(page_title="UNGA resolutions – trends", page_icon=str(FAVICON),
                   layout="wide", initial_sidebar_state="expanded")

warm = warm_chart_renderer()      # first, so plotly.js loads while the rest of the run goes on
begin_run()
await_warm_imports()  # before anything of this run imports nltk or scikit-learn
corpus = get_corpus()
pages = [st.Page(HERE / "views" / f"{p.module}.py", title=p.title, icon=p.icon, url_path=p.url_path,
                 default=(i == 0)) for i, p in enumerate(PAGES)]
page = st.navigation(pages, position="sidebar", expanded=True)  # every page listed, no "View more"
sidebar(corpus)
try:
    page.run()
finally:
    warm.empty()
sync_query_params()
warm_imports()       # once per server, after the first page is drawn
