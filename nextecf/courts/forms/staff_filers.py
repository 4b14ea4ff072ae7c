"""Forms of the staff workspace's filer pages (import, search)."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet

from nextecf.courts.models import FilerAccount

# A court's whole roster of legacy accounts is a few thousand lines: far below this.
IMPORT_MAX_BYTES = 5 * 1024 * 1024


class FilerImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file of CM/ECF filer accounts",
        error_messages={
            "required": "Choose the CSV file to import.",
            "empty": "The file is empty.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {IMPORT_MAX_BYTES // (1024 * 1024)} MB."
            )
        return upload


class FilerSearchForm(forms.Form):
    q = forms.CharField(
        label="Login, name or email",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    @staticmethod
    def matching(filers: QuerySet[FilerAccount], text: str) -> QuerySet[FilerAccount]:
        found = Q()
        for word in text.split():
            found &= (
                Q(login__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(account__username__icontains=word)
            )
        return filers.filter(found)
