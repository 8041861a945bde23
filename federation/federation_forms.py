"""Forms of the federation pages: the yearly figures (年度基本情况) of one federation."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from federation.models import Federation, FederationYear


class FederationYearForm(forms.ModelForm):
    """年度基本情况 of one federation: one row per year."""

    class Meta:
        model = FederationYear
        fields = [
            "year",
            "employers_should_unionise",
            "employees_in_jurisdiction",
            "min_living_standard",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, federation: Federation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.federation = federation
        if not self.instance.pk:
            self.fields["year"].initial = timezone.localdate().year - 1

    def clean_year(self):
        year = self.cleaned_data["year"]
        others = FederationYear.objects.filter(federation=self.instance.federation, year=year)
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("该年度的基本情况已填写，请修改原有记录。"))
        return year

    def validate_unique(self):
        # clean_year gives the message beside the field; the model's own check would repeat it.
        pass
