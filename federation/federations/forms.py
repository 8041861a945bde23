"""Forms of the federation pages: a federation's own details and its yearly figures (年度基本情况)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from federation.identifiers import mask_phone
from federation.masked_forms import HiddenNumbersFormMixin
from federation.models import Federation, FederationYear
from federation.years import validate_year


class FederationForm(HiddenNumbersFormMixin, forms.ModelForm):
    """基本信息 of one federation. Its place in the tree (parent, level) is kept in the admin: moving a
    federation moves every record below it."""

    class Meta:
        model = Federation
        fields = ["name", "short_name", "chair_name", "contact_phone", "address", "established_on"]
        widgets = {"established_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    hidden_numbers = {"contact_phone": mask_phone}

    def clean_established_on(self):
        day = self.cleaned_data.get("established_on")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("成立日期不能晚于今天。"))
        return day


class FederationYearForm(forms.ModelForm):
    """年度基本情况 of one federation: one row per year."""

    class Meta:
        model = FederationYear
        fields = [
            "year",
            "employers_should_unionise",
            "employees_in_jurisdiction",
            "min_living_standard",
            "own_full_time_staff",
            "own_part_time_staff",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, federation: Federation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.federation = federation
        self.fields["year"].validators.append(validate_year)
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
