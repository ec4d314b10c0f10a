"""Tables as every page draws them: full width, no index, whole numbers without separators."""
from __future__ import annotations

from typing import Iterable

import pandas as pd
import streamlit as st


def column_config(*, ints: Iterable[str] = (), decimals: Iterable[str] = (), wide: Iterable[str] = (),
                  medium: Iterable[str] = (), **extra) -> dict:
    """``ints``: sessions and years ("%d", so 2021 is not "2,021"); ``decimals``: two places;
    ``wide``/``medium``: text columns of that width; ``extra``: column configs as given."""
    config = {c: st.column_config.NumberColumn(format="%d") for c in ints}
    config |= {c: st.column_config.NumberColumn(format="%.2f") for c in decimals}
    config |= {c: st.column_config.TextColumn(width="large") for c in wide}
    config |= {c: st.column_config.TextColumn(width="medium") for c in medium}
    return config | extra


def show_table(df: pd.DataFrame, *, ints: Iterable[str] = (), decimals: Iterable[str] = (),
               wide: Iterable[str] = (), medium: Iterable[str] = (), key: str | None = None, **extra) -> None:
    config = column_config(ints=ints, decimals=decimals, wide=wide, medium=medium, **extra)
    st.dataframe(df, hide_index=True, width="stretch", key=key, **({"column_config": config} if config else {}))


def problems_frame(problems) -> pd.DataFrame:
    """The files a corpus could not read, one row each (the Overview and Corpus pages)."""
    return pd.DataFrame([{"file": p.source, "reason": p.reason} for p in problems])
